namespace Theon.Ops;

/// <summary>
/// Theano's <c>Pool</c>: max, sum or average over windows of the last two axes. Inputs: the images, then the
/// window <c>ws</c>, <c>stride</c> and <c>pad</c> as constant integer pairs (printed as Theano prints them).
/// max and sum never count the padding; average_inc_pad divides by the window including it, average_exc_pad by
/// the elements read.
/// </summary>
public sealed record Pool(bool IgnoreBorder, string Mode) : Op
{
    public override string Name => $"Pool{PoolChecks.Props(IgnoreBorder, Mode)}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 4) throw new ArgumentException($"Pool takes the images, ws, stride and pad, got {inputs.Length} inputs.");
        PoolChecks.RequireMode(Mode);
        PoolChecks.RequireImage("pool_2d", "input", inputs[0]);
        PoolChecks.Parameters("pool_2d", inputs[1], inputs[2], inputs[3], IgnoreBorder);
        return new Apply(this, inputs, [PoolChecks.PooledType(inputs[0])]);
    }

    public PoolGeometry Geometry(Apply node, ReadOnlySpan<int> shape) =>
        PoolGeometry.Create(shape, PoolParameters.Of(node, 1), IgnoreBorder, Mode);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var g = Geometry(node, inputs[0].Dims);
        return [PoolReference.Wrap(PoolReference.Forward(g, inputs[0].ToFlatArray<double>()),
            PoolChecks.PooledShape(inputs[0].Dims, g), node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s)
    {
        var p = PoolParameters.Of(node, 1);
        return [[.. s[0].Take(s[0].Count - 2), Length(s[0][^2], p.WsH, p.StrideH, p.PadH), Length(s[0][^1], p.WsW, p.StrideW, p.PadW)]];
    }

    private Variable Length(Variable length, int ws, int stride, int pad)
    {
        if (length is Constant c && c.data.size == 1)
            return SymbolicShapes.Int64(PoolGeometry.OutputLength((int)(double)c.data, ws, stride, pad, IgnoreBorder));
        var padded = length + 2L * pad;
        // int_div is Python's floor division, as Theano's out_shape uses.
        if (IgnoreBorder) return T.cast(T.maximum(T.int_div(padded - ws, T.constant((long)stride)) + 1, T.constant(0L)), DType.Int64);
        if (stride >= ws) return T.cast(T.int_div(padded - 1, T.constant((long)stride)) + 1, DType.Int64);
        return T.cast(T.maximum(T.int_div(padded - 1 - ws, T.constant((long)stride)) + 1, T.constant(0L)) + 1, DType.Int64);
    }

    public override bool IsConnected(Apply node, int input) => input == 0;

    // Theano's Pool.grad: MaxPoolGrad from the input and this node's output, AveragePoolGrad otherwise.
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null, null, null];
        var (x, ws, stride, pad) = (node.inputs[0], node.inputs[1], node.inputs[2], node.inputs[3]);
        var gx = Mode == "max"
            ? new MaxPoolGrad(IgnoreBorder).MakeNode(x, node.outputs[0], gz, ws, stride, pad).outputs[0]
            : new AveragePoolGrad(IgnoreBorder, Mode).MakeNode(x, gz, ws, stride, pad).outputs[0];
        return [Elemwise.SumOverBroadcastAxes(gx, x), null, null, null];
    }
}
