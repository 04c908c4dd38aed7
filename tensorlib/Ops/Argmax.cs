using Theon.Values;

namespace Theon.Ops;

/// <summary>The index of the largest element along an axis (all axes, flattened, when null). int64, no gradient.</summary>
public sealed record Argmax(int? Axis) : Op
{
    public override string Name => Axis is null ? "Argmax" : $"Argmax{{axis=({Axis},)}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Axis is { } axis && (axis < 0 || axis >= x.ndim)) throw new ArgumentException($"argmax: axis {axis} is out of range for {x.type}.");
        var pattern = Axis is null ? [] : x.type.broadcastable.Where((_, a) => a != Axis);
        return new Apply(this, [x], [new TensorType(DType.Int64, pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [ArrayMath.Argmax(inputs[0], Axis, false)];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [Axis is null ? [] : inputShapes[0].Where((_, a) => a != Axis).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];
}
