using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>Split</c>: the input cut along <see cref="Axis"/> into <see cref="Count"/> consecutive parts whose
/// lengths are the second input (an integer vector that must sum to the axis length).
/// </summary>
public sealed record Split(int Count, int Axis) : Op
{
    public override string Name => $"Split{{{Count}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (x, sizes) = (inputs[0], inputs[1]);
        if (Axis < 0 || Axis >= x.ndim) throw new ArgumentException($"split: axis {Axis} is out of range for {x} of type {x.type}.");
        if (sizes.ndim != 1 || !sizes.type.dtype.IsInteger)
            throw new ArgumentException($"split: the sizes must be an integer vector, got {sizes} of type {sizes.type}.");
        if (Count < 1) throw new ArgumentException($"split: the number of parts must be at least 1, got {Count}.");
        var type = x.type.WithBroadcastable(x.type.broadcastable.Select((b, a) => a != Axis && b));
        return new Apply(this, [x, sizes], [.. Enumerable.Repeat(type, Count)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (x, sizes) = (inputs[0], inputs[1].ToFlatArray<long>());
        if (sizes.Length != Count)
            throw new ArgumentException($"split: {node.inputs[1]} gives {sizes.Length} sizes for {Count} parts.");
        if (sizes.Any(n => n < 0) || sizes.Sum() != x.shape[Axis])
            throw new ArgumentException(
                $"split: the sizes ({string.Join(", ", sizes)}) of {node.inputs[1]} must be non-negative and sum to the length {x.shape[Axis]} of axis {Axis} of {node.inputs[0]}.");
        var start = 0;
        return [.. sizes.Select(n =>
        {
            var part = x.Slice(Axis, start, start + (int)n).Copy();
            start += (int)n;
            return part;
        })];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [.. Enumerable.Range(0, Count).Select(k =>
            (IReadOnlyList<Variable>)inputShapes[0].Select((n, a) => a == Axis ? node.inputs[1][k] : n).ToArray())];

    /// <summary>The parts' gradients joined back (zeros for a part the cost does not use), as Theano's Split.grad.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var x = node.inputs[0];
        if (!x.type.dtype.IsFloat || outputGradients.All(g => g is null)) return [null, null];
        var parts = outputGradients.Select((g, k) => g ?? zeros_like(node.outputs[k])).ToArray();
        return [cast(concatenate(parts, Axis), x.type.dtype), null];
    }

    public override bool IsConnected(Apply node, int input) => input == 0;
}
