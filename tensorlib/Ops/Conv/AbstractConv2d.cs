using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>AbstractConv2d</c>: the 2-d convolution of a batch of images (batch, channels, rows, columns) with a
/// bank of filters (filters, channels, rows, columns). A true convolution (flipped filters) unless
/// <c>FilterFlip</c> is false. The backend picks the implementation; <see cref="Perform"/> is the direct loop.
/// </summary>
public sealed record AbstractConv2d(Conv2dSettings Settings) : Op
{
    public override string Name => $"AbstractConv2d{Settings.Props}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 2) throw new ArgumentException($"conv2d takes an input and filters, got {inputs.Length} inputs.");
        var (image, filters) = (inputs[0], inputs[1]);
        ConvChecks.Require4d("conv2d", "input", image);
        ConvChecks.Require4d("conv2d", "filters", filters);
        ConvChecks.SameDType("conv2d", image, filters);
        CheckStatic(image, filters);
        return new Apply(this, [image, filters],
            [new TensorType(image.type.dtype, [image.type.broadcastable[0], filters.type.broadcastable[0], false, false])]);
    }

    /// <summary>The shape errors that show before any call: channels, or a filter larger than a valid input.</summary>
    private void CheckStatic(Variable image, Variable filters)
    {
        var x = ConvChecks.StaticShape(image, Settings.Imshp, "input_shape");
        var w = ConvChecks.StaticShape(filters, Settings.Kshp, "filter_shape");
        if (x[1] is { } c && w[1] is { } fc && c != fc)
            throw new ArgumentException(
                $"conv2d: the filters {InputNames.Describe(filters)} expect {fc} input channels (shape {Known(w)}), " +
                $"the input {InputNames.Describe(image)} has {c} (shape {Known(x)}).");
        for (var axis = 2; axis < 4; axis++)
        {
            if (x[axis] is not { } n || w[axis] is not { } k) continue;
            var (ph, pw) = Settings.Pads(k, k);
            var (pad, dilated) = axis == 2 ? (ph, Settings.DilatedH(k)) : (pw, Settings.DilatedW(k));
            if (n + 2 * pad < dilated)
                throw new ArgumentException(
                    $"conv2d: the filters {InputNames.Describe(filters)} (shape {Known(w)}) are larger than the input " +
                    $"{InputNames.Describe(image)} (shape {Known(x)}) on axis {axis} in border_mode {Settings.BorderMode}.");
        }
    }

    private static string Known(int?[] shape) => $"({string.Join(", ", shape.Select(n => n?.ToString() ?? "?"))})";

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims, inputs[1].Dims);
        return [ConvReference.Forward(g, inputs[0], inputs[1], node.outputs[0].type.dtype)];
    }

    public Conv2dGeometry Geometry(Apply node, ReadOnlySpan<int> image, ReadOnlySpan<int> filters) =>
        Conv2dGeometry.Forward(Settings, image, filters, node.inputs[0], node.inputs[1]);

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s)
    {
        var (im, k) = (Settings.Imshp, Settings.Kshp);
        return
        [[
            ConvChecks.Dim(im[0], s[0][0]),
            ConvChecks.Dim(k[0], s[1][0]),
            ConvChecks.OutputLength(Settings, ConvChecks.Dim(im[2], s[0][2]), ConvChecks.Dim(k[2], s[1][2]), rows: true),
            ConvChecks.OutputLength(Settings, ConvChecks.Dim(im[3], s[0][3]), ConvChecks.Dim(k[3], s[1][3]), rows: false),
        ]];
    }

    // Theano's AbstractConv2d.grad: each input's gradient is an op of its own, so grad of grad works.
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null];
        var (image, filters) = (node.inputs[0], node.inputs[1]);
        var dImage = new AbstractConv2dGradInputs(Settings).MakeNode(filters, gz, shape(image)[slice(2, null)]).outputs[0];
        var dFilters = new AbstractConv2dGradWeights(Settings).MakeNode(image, gz, shape(filters)[slice(2, null)]).outputs[0];
        return [Elemwise.SumOverBroadcastAxes(dImage, image), Elemwise.SumOverBroadcastAxes(dFilters, filters)];
    }
}
