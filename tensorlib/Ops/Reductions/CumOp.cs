using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>CumOp</c>: the running sum (<c>Mode</c> "add", <c>cumsum</c>) or product ("mul", <c>cumprod</c>)
/// along an axis, or over the flattened input when <see cref="Axis"/> is null. The dtype is the input's (a bool
/// input counts in int64).
/// </summary>
public sealed record CumOp(int? Axis, string Mode) : Op
{
    public override string Name => $"CumOp{{{Axis?.ToString() ?? "None"}, {Mode}}}";

    private string Function => Mode == "add" ? "cumsum" : "cumprod";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Mode is not ("add" or "mul")) throw new ArgumentException($"CumOp: mode must be \"add\" or \"mul\", got \"{Mode}\".");
        if (Axis is { } axis && (axis < 0 || axis >= x.ndim))
            throw new ArgumentException($"{Function}: axis {axis} is out of range for {x} of type {x.type}.");
        var dtype = x.type.dtype.IsBool ? DType.Int64 : x.type.dtype;
        return new Apply(this, [x], [Axis is null ? new TensorType(dtype, [false]) : x.type.WithDType(dtype)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var add = Mode == "add";
        return [AxisLanes.MapIn(node.outputs[0].type.dtype, inputs[0], Axis, (x, y) =>
            {
                var acc = add ? 0.0 : 1.0;
                for (var i = 0; i < x.Length; i++) y[i] = acc = add ? acc + x[i] : acc * x[i];
            },
            (x, y) =>
            {
                var acc = add ? 0L : 1L;
                for (var i = 0; i < x.Length; i++) y[i] = acc = unchecked(add ? acc + x[i] : acc * x[i]);
            })];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [Axis is null ? [ReduceAxes.Size(inputShapes[0])] : inputShapes[0]];

    /// <summary>
    /// Theano's CumOp.grad: the gradient of a running sum is the reversed running sum of the output gradient; of a
    /// running product, that of <c>cumprod(x) * gz</c>, divided by x (so not defined where x is 0, as in Theano).
    /// </summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var x = node.inputs[0];
        if (outputGradients[0] is not { } gz || !x.type.dtype.IsFloat) return [null];
        var weighted = Mode == "add" ? gz : mul(node.outputs[0], gz);
        var axis = Axis ?? 0;
        var summed = Reverse(new CumOp(axis, "add").MakeNode(Reverse(weighted, axis)).outputs[0], axis);
        if (Axis is null) summed = reshape(summed, shape(x), x.ndim);
        return [Mode == "add" ? summed : true_div(summed, x)];
    }

    private static Variable Reverse(Variable v, int axis) =>
        v[[.. Enumerable.Repeat<object>(slice(null, null), axis), slice(null, null, Constant.Index(-1))]];
}
