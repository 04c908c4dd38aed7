using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>MaxPoolGrad</c>: the gradient of max pooling, from the input, the pooled maximum and the output
/// gradient. Each window's gradient goes to the inputs equal to its maximum: to every one of them on a tie, as
/// Theano does.
/// </summary>
public sealed record MaxPoolGrad(bool IgnoreBorder) : Op
{
    public override string Name => $"MaxPoolGrad{PoolChecks.Props(IgnoreBorder, "max")}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 6) throw new ArgumentException($"MaxPoolGrad takes x, maxout, gz, ws, stride and pad, got {inputs.Length} inputs.");
        PoolChecks.RequireImage(nameof(MaxPoolGrad), "input", inputs[0]);
        PoolChecks.RequireImage(nameof(MaxPoolGrad), "maximum", inputs[1]);
        PoolChecks.RequireImage(nameof(MaxPoolGrad), "output gradient", inputs[2]);
        PoolChecks.Parameters(nameof(MaxPoolGrad), inputs[3], inputs[4], inputs[5], IgnoreBorder);
        return new Apply(this, inputs, [inputs[0].type]);
    }

    public PoolGeometry Geometry(Apply node, ReadOnlySpan<int> shape) =>
        PoolGeometry.Create(shape, PoolParameters.Of(node, 3), IgnoreBorder, "max");

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims);
        var pooled = PoolChecks.PooledShape(inputs[0].Dims, g);
        PoolChecks.RequirePooledShape(nameof(MaxPoolGrad), "maximum", node.inputs[1], inputs[1], pooled);
        PoolChecks.RequirePooledShape(nameof(MaxPoolGrad), "output gradient", node.inputs[2], inputs[2], pooled);
        var gx = PoolReference.MaxGrad(g, inputs[0].ToFlatArray<double>(), inputs[1].ToFlatArray<double>(), inputs[2].ToFlatArray<double>());
        return [PoolReference.Wrap(gx, inputs[0].shape, node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) => [s[0]];

    public override bool IsConnected(Apply node, int input) => input < 3;

    // Theano's MaxPoolGrad.grad: zeros for x and maxout, DownsampleFactorMaxGradGrad for gz.
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } ggx) return [null, null, null, null, null, null];
        var (x, maxout, gz) = (node.inputs[0], node.inputs[1], node.inputs[2]);
        var ggz = new DownsampleFactorMaxGradGrad(IgnoreBorder).MakeNode([x, maxout, ggx, .. node.inputs.Skip(3)]).outputs[0];
        return [zeros_like(x), zeros_like(maxout), Elemwise.SumOverBroadcastAxes(ggz, gz), null, null, null];
    }
}
