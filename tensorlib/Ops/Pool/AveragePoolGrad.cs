using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>AveragePoolGrad</c>: the gradient of sum and average pooling, from the input (for its shape) and the
/// output gradient: each window's gradient, divided by what the forward divided by, spread over the window.
/// </summary>
public sealed record AveragePoolGrad(bool IgnoreBorder, string Mode) : Op
{
    public override string Name => $"AveragePoolGrad{PoolChecks.Props(IgnoreBorder, Mode)}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 5) throw new ArgumentException($"AveragePoolGrad takes x, gz, ws, stride and pad, got {inputs.Length} inputs.");
        PoolChecks.RequireMode(Mode);
        if (Mode == "max") throw new ArgumentException("AveragePoolGrad: mode 'max' has MaxPoolGrad.");
        PoolChecks.RequireImage(nameof(AveragePoolGrad), "input", inputs[0]);
        PoolChecks.RequireImage(nameof(AveragePoolGrad), "output gradient", inputs[1]);
        PoolChecks.Parameters(nameof(AveragePoolGrad), inputs[2], inputs[3], inputs[4], IgnoreBorder);
        return new Apply(this, inputs, [inputs[0].type.WithDType(inputs[1].type.dtype)]);
    }

    public PoolGeometry Geometry(Apply node, ReadOnlySpan<int> shape) =>
        PoolGeometry.Create(shape, PoolParameters.Of(node, 2), IgnoreBorder, Mode);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims);
        PoolChecks.RequirePooledShape(nameof(AveragePoolGrad), "output gradient", node.inputs[1], inputs[1], PoolChecks.PooledShape(inputs[0].Dims, g));
        var gx = PoolReference.AverageGrad(g, inputs[1].ToFlatArray<double>());
        return [PoolReference.Wrap(gx, inputs[0].shape, node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) => [s[0]];

    // x is read only for its shape.
    public override bool IsConnected(Apply node, int input) => input == 1;

    // Theano's AveragePoolGrad.grad: zeros for x, and pooling the incoming gradient for gz.
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } ggx) return [null, null, null, null, null];
        var gz = node.inputs[1];
        var ggz = new Pool(IgnoreBorder, Mode).MakeNode([ggx, .. node.inputs.Skip(2)]).outputs[0];
        return [null, Elemwise.SumOverBroadcastAxes(ggz, gz), null, null, null];
    }
}
