using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>SortOp</c>: the input sorted along an axis, or flattened and sorted when <see cref="Axis"/> is null;
/// NaN sorts last, as in numpy. The gradient sends each output gradient back to the element it came from.
/// </summary>
public sealed record SortOp(int? Axis) : Op
{
    public override string Name => "SortOp{quicksort, None}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Axis is { } axis && (axis < 0 || axis >= x.ndim))
            throw new ArgumentException($"sort: axis {axis} is out of range for {x} of type {x.type}.");
        return new Apply(this, [x], [Axis is null ? new TensorType(x.type.dtype, [false]) : x.type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [AxisLanes.MapIn(node.outputs[0].type.dtype, inputs[0], Axis, (x, y) =>
            {
                x.CopyTo(y);
                y.Sort(AxisLanes.NaNLast);
            },
            (x, y) =>
            {
                x.CopyTo(y);
                y.Sort();
            })];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [Axis is null ? [ReduceAxes.Size(inputShapes[0])] : inputShapes[0]];

    /// <summary>
    /// Theano's SortOp.grad: element i of x went to position rank[i] = argsort(argsort(x))[i] of its lane, so its
    /// gradient is gz there, read with an advanced index (the other axes indexed by aranges).
    /// </summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var x = node.inputs[0];
        if (outputGradients[0] is not { } gz || !x.type.dtype.IsFloat) return [null];
        if (Axis is not { } axis)
        {
            var flat = flatten(x);
            return [reshape(gz[Rank(flat, 0)], shape(x), x.ndim)];
        }
        var indices = Enumerable.Range(0, x.ndim).Select(a => a == axis
            ? Rank(x, axis)
            : dimshuffle(arange(shape(x)[a]), [.. Enumerable.Range(0, x.ndim).Select(b => b == a ? (object)0 : 'x')]));
        return [AdvancedSubtensor.Op.MakeNode([gz, .. indices]).outputs[0]];
    }

    private static Variable Rank(Variable x, int axis)
    {
        var order = new ArgSortOp(axis).MakeNode(x).outputs[0];
        return new ArgSortOp(axis).MakeNode(order).outputs[0];
    }
}
