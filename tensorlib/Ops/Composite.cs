using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// Several elementwise ops fused into one loop (Theano's <c>Composite</c>): <see cref="Body"/> is the scalar
/// expression over the inputs, all of <see cref="DType"/>, broadcast as <see cref="Elemwise"/> does. Made by the
/// fusion phase after gradients are taken; its <see cref="Perform"/> evaluates the unfused ops.
/// </summary>
public sealed record Composite(ScalarExpr Body, DType DType) : Op
{
    public override string Name => $"Composite{{{Body}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("Composite: expected at least one input, got none.");
        var ndim = inputs[0].ndim;
        foreach (var v in inputs)
        {
            if (v.ndim != ndim || v.type.dtype != DType)
                throw new ArgumentException(
                    $"Composite: expected inputs of {ndim} dimension(s) and dtype {DType}, got {v} of type {v.type}.");
        }
        var pattern = Enumerable.Range(0, ndim).Select(axis => inputs.All(v => v.type.broadcastable[axis]));
        return new Apply(this, inputs, [new TensorType(DType, pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var result = Evaluate(Body, inputs);
        var shape = Elemwise.BroadcastShape(inputs);
        if (!result.Dims.AsSpan().SequenceEqual(shape)) result = result.BroadcastTo(shape).Copy();
        return [result.DType == DType ? result : result.astype(DType)];
    }

    private NDArray Evaluate(ScalarExpr e, NDArray[] inputs) => e switch
    {
        ScalarExpr.Input i => inputs[i.Index],
        ScalarExpr.Literal l => NDArray.Scalar(l.Value, DType),
        ScalarExpr.Call c => Cast(c.Op.Perform([.. c.Args.Select(a => Evaluate(a, inputs))])),
        _ => throw new InvalidOperationException($"unknown scalar expression {e}"),
    };

    private NDArray Cast(NDArray a) => a.DType == DType ? a : a.astype(DType);

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var ndim = node.outputs[0].ndim;
        var shape = new Variable[ndim];
        for (var axis = 0; axis < ndim; axis++)
        {
            var source = Enumerable.Range(0, node.inputs.Count).FirstOrDefault(i =>
                !node.inputs[i].type.broadcastable[axis], -1);
            shape[axis] = source < 0 ? SymbolicShapes.One : inputShapes[source][axis];
        }
        return [shape];
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new InvalidOperationException(
            "Composite is made by the optimizer after gradients are taken; it has no gradient.");

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        Substitute(Body, inputs);

    private static string Substitute(ScalarExpr e, IReadOnlyList<string> inputs) => e switch
    {
        ScalarExpr.Input i => inputs[i.Index],
        ScalarExpr.Call c => c.Op.Style.Format([.. c.Args.Select(a => Substitute(a, inputs))]),
        _ => e.ToString(),
    };

    public override bool CanConstantFold => false;
}
