using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>ArgSortOp</c>: the int64 positions that sort the input along an axis (of the flattened input when
/// <see cref="Axis"/> is null). Equal elements keep their order (numpy's stable sort); NaN sorts last.
/// </summary>
public sealed record ArgSortOp(int? Axis) : Op
{
    public override string Name => "ArgSortOp{quicksort, None}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Axis is { } axis && (axis < 0 || axis >= x.ndim))
            throw new ArgumentException($"argsort: axis {axis} is out of range for {x} of type {x.type}.");
        return new Apply(this, [x], [new TensorType(DType.Int64, Axis is null ? [false] : x.type.broadcastable)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [inputs[0].DType.IsFloat
        ? AxisLanes.Map<double, long>(inputs[0], Axis, (x, y) => Order(x, y, AxisLanes.NaNLast))
        : AxisLanes.Map<long, long>(inputs[0], Axis, (x, y) => Order(x, y, (a, b) => a.CompareTo(b)))];

    private static void Order<T>(ReadOnlySpan<T> x, Span<long> positions, Comparison<T> compare)
    {
        var values = x.ToArray();
        var order = Enumerable.Range(0, values.Length)
            .OrderBy(i => values[i], Comparer<T>.Create(compare)).ToArray(); // OrderBy is stable
        for (var i = 0; i < order.Length; i++) positions[i] = order[i];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [Axis is null ? [ReduceAxes.Size(inputShapes[0])] : inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];
}
