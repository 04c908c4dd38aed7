using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>log(softmax(x)) computed without forming softmax: x - max - log(sum(exp(x - max))). Made by a stabilizing rewrite.</summary>
public sealed record LogSoftmax : Op
{
    public static readonly LogSoftmax Op = new();

    public override string Name => "LogSoftmax";

    public override Apply MakeNode(params Variable[] inputs) => new(this, [Softmax.CheckInput(inputs)], [inputs[0].type]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shifted = Softmax.Shifted(inputs[0]);
        return [ArrayMath.Subtract(shifted, ArrayMath.Log(ArrayMath.Sum(ArrayMath.Exp(shifted), [-1], true)))];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    // J^T gz = gz - softmax * sum(gz, axis=-1)
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        return [sub(gz, mul(exp(node.outputs[0]), sum(gz, axis: [-1], keepdims: true)))];
    }
}
