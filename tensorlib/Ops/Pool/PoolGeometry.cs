namespace Theon.Ops;

/// <summary>
/// The sizes of one pooling at run time: the leading axes flattened into <see cref="Planes"/> images of
/// <see cref="Height"/> × <see cref="Width"/>, the window, stride and padding, and the output size. Output cell (r, c)
/// reads the input rows and columns of <see cref="Window"/>.
/// </summary>
public readonly record struct PoolGeometry(
    int Planes, int Height, int Width, int WsH, int WsW, int StrideH, int StrideW, int PadH, int PadW,
    int OutH, int OutW, bool IgnoreBorder, string Mode)
{
    public static PoolGeometry Create(ReadOnlySpan<int> shape, PoolParameters p, bool ignoreBorder, string mode)
    {
        var planes = 1;
        for (var i = 0; i < shape.Length - 2; i++) planes *= shape[i];
        var (h, w) = (shape[^2], shape[^1]);
        return new PoolGeometry(planes, h, w, p.WsH, p.WsW, p.StrideH, p.StrideW, p.PadH, p.PadW,
            OutputLength(h, p.WsH, p.StrideH, p.PadH, ignoreBorder), OutputLength(w, p.WsW, p.StrideW, p.PadW, ignoreBorder),
            ignoreBorder, mode);
    }

    /// <summary>Theano's <c>Pool.out_shape</c> for one axis (with Python's floor division).</summary>
    public static int OutputLength(int length, int ws, int stride, int pad, bool ignoreBorder)
    {
        var padded = length + 2 * pad;
        if (ignoreBorder) return Math.Max(FloorDiv(padded - ws, stride) + 1, 0);
        return stride >= ws ? FloorDiv(padded - 1, stride) + 1 : Math.Max(0, FloorDiv(padded - 1 - ws, stride) + 1) + 1;
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);

    /// <summary>
    /// The input rows [R0, R1) and columns [C0, C1) of output cell (r, c), and what an average divides by: the
    /// window clipped to the padded image for average_inc_pad, the elements read otherwise (Theano's Pool.perform).
    /// </summary>
    public (int R0, int R1, int C0, int C1, int Count) Window(int r, int c)
    {
        var (r0, r1) = Range(r, StrideH, WsH, PadH, Height);
        var (c0, c1) = Range(c, StrideW, WsW, PadW, Width);
        var count = Mode == "average_inc_pad"
            ? (Math.Min(r * StrideH + WsH, Height + 2 * PadH) - r * StrideH) * (Math.Min(c * StrideW + WsW, Width + 2 * PadW) - c * StrideW)
            : (r1 - r0) * (c1 - c0);
        return (r0, r1, c0, c1, count);
    }

    private static (int, int) Range(int index, int stride, int ws, int pad, int length)
    {
        var start = index * stride - pad;
        return (Math.Max(start, 0), Math.Min(start + ws, length));
    }

    public int InputSize => Planes * Height * Width;

    public int OutputSize => Planes * OutH * OutW;
}

/// <summary>The window, stride and padding of a pooling node, read from its constant inputs 1..3 (or 2.., 3..).</summary>
public readonly record struct PoolParameters(int WsH, int WsW, int StrideH, int StrideW, int PadH, int PadW)
{
    public static PoolParameters Of(Apply node, int first) =>
        From(Pair(node.inputs[first]), Pair(node.inputs[first + 1]), Pair(node.inputs[first + 2]));

    public static PoolParameters From((int, int) ws, (int, int) stride, (int, int) pad) =>
        new(ws.Item1, ws.Item2, stride.Item1, stride.Item2, pad.Item1, pad.Item2);

    private static (int, int) Pair(Variable v)
    {
        var values = ((Constant)v).data.ToFlatArray<long>();
        return ((int)values[0], (int)values[1]);
    }
}
