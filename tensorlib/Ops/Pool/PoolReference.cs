namespace Theon.Ops;

/// <summary>The pooling ops' reference arithmetic, window by window in float64, as Theano's <c>perform</c> methods.</summary>
internal static class PoolReference
{
    public static double[] Forward(PoolGeometry g, double[] x)
    {
        var z = new double[g.OutputSize];
        var max = g.Mode == "max";
        ForEachWindow(g, (plane, cell, r0, r1, c0, c1, count) =>
        {
            var acc = max ? double.NegativeInfinity : 0.0;
            for (var i = r0; i < r1; i++)
            for (var j = c0; j < c1; j++)
            {
                var v = x[(plane * g.Height + i) * g.Width + j];
                acc = max ? Math.Max(acc, v) : acc + v;
            }
            z[cell] = g.Mode.StartsWith("average", StringComparison.Ordinal) ? acc / count : acc;
        });
        return z;
    }

    /// <summary>Theano's MaxPoolGrad: every input equal to its window's maximum receives the window's gradient.</summary>
    public static double[] MaxGrad(PoolGeometry g, double[] x, double[] maxout, double[] gz)
    {
        var gx = new double[g.InputSize];
        ForEachWindow(g, (plane, cell, r0, r1, c0, c1, _) =>
        {
            for (var i = r0; i < r1; i++)
            for (var j = c0; j < c1; j++)
            {
                var at = (plane * g.Height + i) * g.Width + j;
                if (x[at] == maxout[cell]) gx[at] += gz[cell];
            }
        });
        return gx;
    }

    /// <summary>Theano's AveragePoolGrad: each window's gradient, divided by its count for the averages, spread over it.</summary>
    public static double[] AverageGrad(PoolGeometry g, double[] gz)
    {
        var gx = new double[g.InputSize];
        var sum = g.Mode == "sum";
        ForEachWindow(g, (plane, cell, r0, r1, c0, c1, count) =>
        {
            var share = sum ? gz[cell] : gz[cell] / count;
            for (var i = r0; i < r1; i++)
            for (var j = c0; j < c1; j++)
                gx[(plane * g.Height + i) * g.Width + j] += share;
        });
        return gx;
    }

    /// <summary>Theano's DownsampleFactorMaxGradGrad: each cell takes ggx at its window's maximum (the last one on a tie).</summary>
    public static double[] MaxGradGrad(PoolGeometry g, double[] x, double[] maxout, double[] ggx)
    {
        var ggz = new double[g.OutputSize];
        ForEachWindow(g, (plane, cell, r0, r1, c0, c1, _) =>
        {
            for (var i = r0; i < r1; i++)
            for (var j = c0; j < c1; j++)
            {
                var at = (plane * g.Height + i) * g.Width + j;
                if (x[at] == maxout[cell]) ggz[cell] = ggx[at];
            }
        });
        return ggz;
    }

    private delegate void WindowAction(int plane, int cell, int r0, int r1, int c0, int c1, int count);

    private static void ForEachWindow(PoolGeometry g, WindowAction action)
    {
        for (var plane = 0; plane < g.Planes; plane++)
        for (var r = 0; r < g.OutH; r++)
        for (var c = 0; c < g.OutW; c++)
        {
            var (r0, r1, c0, c1, count) = g.Window(r, c);
            action(plane, (plane * g.OutH + r) * g.OutW + c, r0, r1, c0, c1, count);
        }
    }

    public static NDArray Wrap(double[] values, int[] shape, DType dtype) =>
        NDArray.FromArray(values).reshape(shape).astype(dtype);
}
