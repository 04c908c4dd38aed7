using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>AbstractConv2d_gradWeights</c>: the gradient of <see cref="AbstractConv2d"/> with respect to its
/// filters, from the input, the output gradient and the filters' (rows, columns).
/// </summary>
public sealed record AbstractConv2dGradWeights(Conv2dSettings Settings) : Op
{
    private const string OpName = "AbstractConv2d_gradWeights";

    public override string Name => $"{OpName}{Settings.Props}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3) throw new ArgumentException($"{OpName} takes an input, an output gradient and a shape, got {inputs.Length} inputs.");
        var (image, top, size) = (inputs[0], inputs[1], inputs[2]);
        ConvChecks.Require4d(OpName, "input", image);
        ConvChecks.Require4d(OpName, "output gradient", top);
        ConvChecks.SameDType(OpName, image, top);
        ConvChecks.RequireSize(OpName, size);
        return new Apply(this, [image, top, size],
            [new TensorType(image.type.dtype, [top.type.broadcastable[1], image.type.broadcastable[1], false, false])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims, inputs[1].Dims, inputs[2]);
        return [ConvReference.GradWeights(g, inputs[0], inputs[1], node.outputs[0].type.dtype)];
    }

    public Conv2dGeometry Geometry(Apply node, ReadOnlySpan<int> image, ReadOnlySpan<int> top, NDArray size)
    {
        var hw = size.ToFlatArray<long>();
        if (hw.Length != 2) throw new ArgumentException($"{OpName}: the shape input has {hw.Length} entries, expected 2.");
        return Conv2dGeometry.GradWeights(Settings, image, top, (int)hw[0], (int)hw[1], node.inputs[0], node.inputs[1]);
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) =>
    [[
        s[1][1],
        ConvChecks.Dim(Settings.Imshp[1], s[0][1]),
        cast(node.inputs[2][0], DType.Int64),
        cast(node.inputs[2][1], DType.Int64),
    ]];

    public override bool IsConnected(Apply node, int input) => input < 2;

    // Theano's AbstractConv2d_gradWeights.grad: d input = gradInputs(d filters, top), d top = conv(input, d filters).
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gw) return [null, null, null];
        var (image, top) = (node.inputs[0], node.inputs[1]);
        var dImage = new AbstractConv2dGradInputs(Settings).MakeNode(gw, top, shape(image)[slice(2, null)]).outputs[0];
        var dTop = new AbstractConv2d(Settings).MakeNode(image, gw).outputs[0];
        return [Elemwise.SumOverBroadcastAxes(dImage, image), Elemwise.SumOverBroadcastAxes(dTop, top), null];
    }
}
