namespace Theon.Ops;

/// <summary>
/// The convolution ops' reference arithmetic: direct loops over every tap, accumulated in float64. Each loop nest
/// visits the same (output, tap, input) triples; the three directions differ only in which of the three arrays they
/// write.
/// </summary>
internal static class ConvReference
{
    public static NDArray Forward(Conv2dGeometry g, NDArray image, NDArray filters, DType dtype)
    {
        var (x, w) = (image.ToFlatArray<double>(), filters.ToFlatArray<double>());
        var result = new double[g.Batch * g.Filters * g.OutH * g.OutW];
        Visit(g, (xi, wi, oi) => result[oi] += x[xi] * w[wi]);
        return Wrap(result, g.OutputShape, dtype);
    }

    public static NDArray GradInputs(Conv2dGeometry g, NDArray filters, NDArray top, DType dtype)
    {
        var (w, gz) = (filters.ToFlatArray<double>(), top.ToFlatArray<double>());
        var result = new double[g.Batch * g.Channels * g.Height * g.Width];
        Visit(g, (xi, wi, oi) => result[xi] += gz[oi] * w[wi]);
        return Wrap(result, g.ImageShape, dtype);
    }

    public static NDArray GradWeights(Conv2dGeometry g, NDArray image, NDArray top, DType dtype)
    {
        var (x, gz) = (image.ToFlatArray<double>(), top.ToFlatArray<double>());
        var result = new double[g.Filters * g.Channels * g.KH * g.KW];
        Visit(g, (xi, wi, oi) => result[wi] += gz[oi] * x[xi]);
        return Wrap(result, g.FilterShape, dtype);
    }

    /// <summary>Calls <paramref name="tap"/>(image index, filter index, output index) for every tap inside the image.</summary>
    private static void Visit(Conv2dGeometry g, Action<int, int, int> tap)
    {
        for (var b = 0; b < g.Batch; b++)
        for (var k = 0; k < g.Filters; k++)
        for (var i = 0; i < g.OutH; i++)
        for (var j = 0; j < g.OutW; j++)
        {
            var output = ((b * g.Filters + k) * g.OutH + i) * g.OutW + j;
            for (var c = 0; c < g.Channels; c++)
            for (var u = 0; u < g.KH; u++)
            {
                var row = g.InputRow(i, u);
                if (row < 0 || row >= g.Height) continue;
                for (var v = 0; v < g.KW; v++)
                {
                    var column = g.InputColumn(j, v);
                    if (column < 0 || column >= g.Width) continue;
                    var input = ((b * g.Channels + c) * g.Height + row) * g.Width + column;
                    var filter = ((k * g.Channels + c) * g.KH + g.FilterRow(u)) * g.KW + g.FilterColumn(v);
                    tap(input, filter, output);
                }
            }
        }
    }

    private static NDArray Wrap(double[] values, int[] shape, DType dtype) =>
        NDArray.FromArray(values).reshape(shape).astype(dtype);
}
