using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>AbstractConv2d_gradInputs</c>: the gradient of <see cref="AbstractConv2d"/> with respect to its input,
/// from the filters, the output gradient and the input's (rows, columns), which a stride makes ambiguous.
/// </summary>
public sealed record AbstractConv2dGradInputs(Conv2dSettings Settings) : Op
{
    private const string OpName = "AbstractConv2d_gradInputs";

    public override string Name => $"{OpName}{Settings.Props}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3) throw new ArgumentException($"{OpName} takes filters, an output gradient and a shape, got {inputs.Length} inputs.");
        var (filters, top, size) = (inputs[0], inputs[1], inputs[2]);
        ConvChecks.Require4d(OpName, "filters", filters);
        ConvChecks.Require4d(OpName, "output gradient", top);
        ConvChecks.SameDType(OpName, filters, top);
        ConvChecks.RequireSize(OpName, size);
        return new Apply(this, [filters, top, size],
            [new TensorType(top.type.dtype, [top.type.broadcastable[0], filters.type.broadcastable[1], false, false])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims, inputs[1].Dims, inputs[2]);
        return [ConvReference.GradInputs(g, inputs[0], inputs[1], node.outputs[0].type.dtype)];
    }

    public Conv2dGeometry Geometry(Apply node, ReadOnlySpan<int> filters, ReadOnlySpan<int> top, NDArray size)
    {
        var hw = size.ToFlatArray<long>();
        if (hw.Length != 2) throw new ArgumentException($"{OpName}: the shape input has {hw.Length} entries, expected 2.");
        return Conv2dGeometry.GradInputs(Settings, filters, top, (int)hw[0], (int)hw[1], node.inputs[0], node.inputs[1]);
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) =>
    [[
        s[1][0],
        ConvChecks.Dim(Settings.Kshp[1], s[0][1]),
        cast(node.inputs[2][0], DType.Int64),
        cast(node.inputs[2][1], DType.Int64),
    ]];

    public override bool IsConnected(Apply node, int input) => input < 2;

    // Theano's AbstractConv2d_gradInputs.grad: d filters = gradWeights(d input, top), d top = conv(d input, filters).
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gi) return [null, null, null];
        var (filters, top) = (node.inputs[0], node.inputs[1]);
        var dFilters = new AbstractConv2dGradWeights(Settings).MakeNode(gi, top, shape(filters)[slice(2, null)]).outputs[0];
        var dTop = new AbstractConv2d(Settings).MakeNode(gi, filters).outputs[0];
        return [Elemwise.SumOverBroadcastAxes(dFilters, filters), Elemwise.SumOverBroadcastAxes(dTop, top), null];
    }
}
