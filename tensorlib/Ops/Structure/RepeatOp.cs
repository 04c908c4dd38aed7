namespace Theon.Ops;

/// <summary>
/// Theano's <c>RepeatOp</c>, for a vector of repeats: element i along <see cref="Axis"/> repeated repeats[i] times
/// (numpy's <c>repeat</c>). A scalar number of repeats is a graph of alloc and reshape instead, as in Theano; as
/// there, this op has no gradient for the input (Theano's RepeatOp.grad raises NotImplementedError for a vector).
/// </summary>
public sealed record RepeatOp(int Axis) : Op
{
    public override string Name => $"RepeatOp{{axis={Axis}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (x, repeats) = (inputs[0], inputs[1]);
        if (Axis < 0 || Axis >= x.ndim) throw new ArgumentException($"repeat: axis {Axis} is out of range for {x} of type {x.type}.");
        if (repeats.ndim != 1 || !repeats.type.dtype.IsInteger)
            throw new ArgumentException($"repeat: the repeats must be an integer scalar or vector, got {repeats} of type {repeats.type}.");
        return new Apply(this, [x, repeats], [x.type.WithBroadcastable(x.type.broadcastable.Select((b, a) => a != Axis && b))]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (x, repeats) = (inputs[0], inputs[1].ToFlatArray<long>());
        var n = x.shape[Axis];
        if (repeats.Length != n)
            throw new ArgumentException(
                $"repeat: {node.inputs[1]} has {repeats.Length} repeats for the {n} elements along axis {Axis} of {node.inputs[0]} (shape {NDArray.ShapeString(x.shape)}).");
        if (repeats.Any(r => r < 0)) throw new ArgumentException($"repeat: {node.inputs[1]} holds a negative count.");
        var parts = Enumerable.Range(0, n).SelectMany(i =>
            Enumerable.Repeat(x.Slice(Axis, i, i + 1), (int)repeats[i])).ToArray();
        if (parts.Length == 0)
        {
            var shape = x.shape;
            shape[Axis] = 0;
            return [NDArray.Zeros(x.DType, shape)];
        }
        return [Values.ArrayMath.Concatenate(parts, Axis)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[0].Select((n, a) => a == Axis ? T.sum(T.cast(node.inputs[1], DType.Int64)) : n).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new NotSupportedException($"{Name}: the gradient of repeat with a vector of repeats is not implemented (as in Theano); a scalar number of repeats has one.");

    public override bool IsConnected(Apply node, int input) => input == 0;
}
