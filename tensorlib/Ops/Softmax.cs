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
        var e = Kernels.Exp(shifted);
        return [Kernels.TrueDivide(e, Kernels.Sum(e, [-1], true))];
    }

    internal static NDArray Shifted(NDArray x) => Kernels.Subtract(x, Kernels.Max(x, [-1], true));

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    // J^T gz = sm * (gz - sum(gz * sm, axis=-1))
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        var sm = node.outputs[0];
        return [mul(sm, sub(gz, sum(mul(gz, sm), axis: [-1], keepdims: true)))];
    }
}

/// <summary>log(softmax(x)) computed without forming softmax: x - max - log(sum(exp(x - max))). Made by a stabilizing rewrite.</summary>
public sealed record LogSoftmax : Op
{
    public static readonly LogSoftmax Op = new();

    public override string Name => "LogSoftmax";

    public override Apply MakeNode(params Variable[] inputs) => new(this, [Softmax.CheckInput(inputs)], [inputs[0].type]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shifted = Softmax.Shifted(inputs[0]);
        return [Kernels.Subtract(shifted, Kernels.Log(Kernels.Sum(Kernels.Exp(shifted), [-1], true)))];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    // J^T gz = gz - softmax * sum(gz, axis=-1)
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        return [sub(gz, mul(exp(node.outputs[0]), sum(gz, axis: [-1], keepdims: true)))];
    }
}
