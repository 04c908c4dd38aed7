using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>softmax along the last axis, computed stably (the row maximum is subtracted first).</summary>
public sealed record Softmax : Op
{
    public static readonly Softmax Op = new();

    public override string Name => "Softmax";

    public override Apply MakeNode(params Variable[] inputs) => new(this, [CheckInput(inputs)], [inputs[0].type]);

    internal static Variable CheckInput(Variable[] inputs)
    {
        var x = inputs.Single();
        if (x.ndim is not (1 or 2) || !x.type.dtype.IsFloat)
            throw new ArgumentException($"softmax takes a float vector or matrix, got {x} of type {x.type}.");
        return x;
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shifted = Shifted(inputs[0]);
        var e = ArrayMath.Exp(shifted);
        return [ArrayMath.TrueDivide(e, ArrayMath.Sum(e, [-1], true))];
    }

    internal static NDArray Shifted(NDArray x) => ArrayMath.Subtract(x, ArrayMath.Max(x, [-1], true));

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    // J^T gz = sm * (gz - sum(gz * sm, axis=-1))
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        var sm = node.outputs[0];
        return [mul(sm, sub(gz, sum(mul(gz, sm), axis: [-1], keepdims: true)))];
    }
}
