namespace Theon.Tests.Conv;

/// <summary>
/// An independent reference for conv2d, written the textbook way: pad the image with zeros, dilate the filter by
/// inserting zeros, flip it for a true convolution, then slide it with the stride (a valid cross-correlation).
/// </summary>
internal static class DirectConv
{
    public static double[,,,] Conv(double[,,,] x, double[,,,] w, (int H, int W) pad, (int H, int W) stride,
        (int H, int W) dilation, bool flip)
    {
        var (b, c, h, wd) = (x.GetLength(0), x.GetLength(1), x.GetLength(2), x.GetLength(3));
        var (k, kh, kw) = (w.GetLength(0), w.GetLength(2), w.GetLength(3));
        var padded = new double[b, c, h + 2 * pad.H, wd + 2 * pad.W];
        for (var n = 0; n < b; n++)
        for (var ch = 0; ch < c; ch++)
        for (var i = 0; i < h; i++)
        for (var j = 0; j < wd; j++)
            padded[n, ch, i + pad.H, j + pad.W] = x[n, ch, i, j];
        var (dh, dw) = ((kh - 1) * dilation.H + 1, (kw - 1) * dilation.W + 1);
        var dilated = new double[k, c, dh, dw];
        for (var f = 0; f < k; f++)
        for (var ch = 0; ch < c; ch++)
        for (var u = 0; u < kh; u++)
        for (var v = 0; v < kw; v++)
            dilated[f, ch, u * dilation.H, v * dilation.W] = flip ? w[f, ch, kh - 1 - u, kw - 1 - v] : w[f, ch, u, v];
        var (oh, ow) = ((padded.GetLength(2) - dh) / stride.H + 1, (padded.GetLength(3) - dw) / stride.W + 1);
        var result = new double[b, k, oh, ow];
        for (var n = 0; n < b; n++)
        for (var f = 0; f < k; f++)
        for (var i = 0; i < oh; i++)
        for (var j = 0; j < ow; j++)
        {
            var s = 0.0;
            for (var ch = 0; ch < c; ch++)
            for (var u = 0; u < dh; u++)
            for (var v = 0; v < dw; v++)
                s += padded[n, ch, i * stride.H + u, j * stride.W + v] * dilated[f, ch, u, v];
            result[n, f, i, j] = s;
        }
        return result;
    }

    /// <summary>The padding Theano's border modes mean for a filter of <paramref name="k"/> taps at dilation d.</summary>
    public static int Pad(string mode, int k, int d) => mode switch
    {
        "valid" => 0,
        "full" => (k - 1) * d,
        "half" => ((k - 1) * d + 1) / 2,
        _ => throw new ArgumentException(mode),
    };

    public static double[,,,] ToArray(NDArray a)
    {
        var s = a.shape;
        var flat = a.astype(DType.Float64).ToFlatArray<double>();
        var result = new double[s[0], s[1], s[2], s[3]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
