using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Lazy choice between two tensors on a scalar condition: only the chosen branch is computed
/// (<see cref="Compile.Evaluator"/> asks <see cref="Branch"/> which one), unlike the elementwise <c>switch</c>.
/// </summary>
public sealed record IfElse : Op
{
    public static readonly IfElse Op = new();

    public override string Name => "if{}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3) throw new ArgumentException($"ifelse takes a condition and two branches, got {inputs.Length} inputs.");
        var (condition, then, @else) = (inputs[0], inputs[1], inputs[2]);
        if (condition.ndim != 0) throw new ArgumentException($"ifelse: the condition must be a scalar, got {condition.type}.");
        if (then.ndim != @else.ndim)
            throw new ArgumentException($"ifelse: both branches need the same number of dimensions, got {then.type} and {@else.type}.");
        var dtype = DType.Upcast(then.type.dtype, @else.type.dtype);
        var pattern = then.type.broadcastable.Zip(@else.type.broadcastable, (a, b) => a && b);
        return new Apply(this, [condition, Cast(then, dtype), Cast(@else, dtype)], [new TensorType(dtype, pattern)]);
    }

    private static Variable Cast(Variable v, DType dtype) => v.type.dtype == dtype ? v : cast(v, dtype);

    /// <summary>The input index of the branch a condition value selects.</summary>
    public static int Branch(NDArray condition) => (double)condition != 0 ? 1 : 2;

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [inputs[Branch(inputs[0])]];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [SymbolicShapes.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null, null];
        var condition = node.inputs[0];
        return
        [
            null,
            // the branch not taken gets zeros of its own shape, which may differ from the output's
            node.inputs[1].type.dtype.IsFloat ? ifelse(condition, gz, zeros_like(node.inputs[1])) : null,
            node.inputs[2].type.dtype.IsFloat ? ifelse(condition, zeros_like(node.inputs[2]), gz) : null,
        ];
    }
}
