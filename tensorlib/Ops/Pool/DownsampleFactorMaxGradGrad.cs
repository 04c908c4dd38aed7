namespace Theon.Ops;

/// <summary>
/// Theano's <c>DownsampleFactorMaxGradGrad</c>: the gradient of <see cref="MaxPoolGrad"/> with respect to its output
/// gradient. Each pooled cell takes the incoming gradient at its window's maximum (on a tie, the last one in row-major
/// order, as Theano's loop assigns).
/// </summary>
public sealed record DownsampleFactorMaxGradGrad(bool IgnoreBorder) : Op
{
    public override string Name => $"DownsampleFactorMaxGradGrad{PoolChecks.Props(IgnoreBorder, "max")}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 6) throw new ArgumentException($"DownsampleFactorMaxGradGrad takes x, maxout, ggx, ws, stride and pad, got {inputs.Length} inputs.");
        PoolChecks.RequireImage(nameof(DownsampleFactorMaxGradGrad), "input", inputs[0]);
        PoolChecks.RequireImage(nameof(DownsampleFactorMaxGradGrad), "maximum", inputs[1]);
        PoolChecks.RequireImage(nameof(DownsampleFactorMaxGradGrad), "gradient", inputs[2]);
        PoolChecks.Parameters(nameof(DownsampleFactorMaxGradGrad), inputs[3], inputs[4], inputs[5], IgnoreBorder);
        return new Apply(this, inputs, [inputs[1].type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = PoolGeometry.Create(inputs[0].Dims, PoolParameters.Of(node, 3), IgnoreBorder, "max");
        var pooled = PoolChecks.PooledShape(inputs[0].Dims, g);
        PoolChecks.RequirePooledShape(Name, "maximum", node.inputs[1], inputs[1], pooled);
        if (!inputs[2].Dims.AsSpan().SequenceEqual(inputs[0].Dims))
            throw new ArgumentException($"{nameof(DownsampleFactorMaxGradGrad)}: the gradient {InputNames.Describe(node.inputs[2])} has shape {NDArray.ShapeString(inputs[2].shape)}, the input {NDArray.ShapeString(inputs[0].shape)}.");
        var ggz = PoolReference.MaxGradGrad(g, inputs[0].ToFlatArray<double>(), inputs[1].ToFlatArray<double>(), inputs[2].ToFlatArray<double>());
        return [PoolReference.Wrap(ggz, pooled, node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) => [s[1]];

    public override bool IsConnected(Apply node, int input) => input < 3;

    // Theano's DownsampleFactorMaxGradGrad.grad: zeros for x and maxout, MaxPoolGrad for ggx.
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null, null, null, null, null];
        var (x, maxout, ggx) = (node.inputs[0], node.inputs[1], node.inputs[2]);
        var back = new MaxPoolGrad(IgnoreBorder).MakeNode([x, maxout, gz, .. node.inputs.Skip(3)]).outputs[0];
        return [T.zeros_like(x), T.zeros_like(maxout), Elemwise.SumOverBroadcastAxes(back, ggx), null, null, null];
    }
}
