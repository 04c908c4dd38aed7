using Theon.Ops;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Conv;

/// <summary>
/// pool_2d against a direct loop written from Theano's documentation, its gradients by verify_grad for each mode,
/// stride, padding and border rule, max pooling's tie rule (theano/tensor/signal/pool.py, MaxPoolGrad.perform: every
/// input equal to the maximum gets the gradient), printing and shapes.
/// </summary>
public class Pool2dTests
{
    private static readonly GradientPoints Points = new(3);

    public static TheoryData<string, int, int, int, int, int, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, int, int, bool>();
        foreach (var mode in new[] { "max", "sum", "average_inc_pad", "average_exc_pad" })
        {
            data.Add(mode, 2, 2, 2, 2, 0, true);
            data.Add(mode, 3, 2, 1, 2, 0, true);
            data.Add(mode, 3, 3, 2, 2, 1, true);
            data.Add(mode, 2, 3, 2, 1, 1, true);
            data.Add(mode, 2, 2, 2, 2, 0, false);
            data.Add(mode, 3, 2, 2, 3, 0, false);
        }
        return data;
    }

    /// <summary>
    /// Theano's pool_2d documentation: windows start every stride on the image padded with zeros; max and sum never
    /// read the padding; average_inc_pad divides by the window within the padded image, average_exc_pad by the
    /// image elements in it; without ignore_border a partial window at the end is kept.
    /// </summary>
    private static double[,,,] Direct(double[,,,] x, (int H, int W) ws, (int H, int W) st, (int H, int W) pad, bool ignoreBorder, string mode)
    {
        var (b, c, h, w) = (x.GetLength(0), x.GetLength(1), x.GetLength(2), x.GetLength(3));
        int Count(int n, int k, int s, int p)
        {
            var padded = n + 2 * p;
            if (ignoreBorder) return (padded - k) / s + 1;
            var count = 0;
            for (var start = 0; start < padded; start += s)
            {
                count++;
                if (start + k >= padded) break;
            }
            return count;
        }
        var (oh, ow) = (Count(h, ws.H, st.H, pad.H), Count(w, ws.W, st.W, pad.W));
        var z = new double[b, c, oh, ow];
        for (var n = 0; n < b; n++)
        for (var ch = 0; ch < c; ch++)
        for (var i = 0; i < oh; i++)
        for (var j = 0; j < ow; j++)
        {
            var values = new List<double>();
            var inside = 0;
            for (var u = i * st.H; u < i * st.H + ws.H && u < h + 2 * pad.H; u++)
            for (var v = j * st.W; v < j * st.W + ws.W && v < w + 2 * pad.W; v++)
            {
                inside++;
                var (r, q) = (u - pad.H, v - pad.W);
                if (r >= 0 && r < h && q >= 0 && q < w) values.Add(x[n, ch, r, q]);
            }
            z[n, ch, i, j] = mode switch
            {
                "max" => values.Max(),
                "sum" => values.Sum(),
                "average_inc_pad" => values.Sum() / inside,
                _ => values.Average(),
            };
        }
        return z;
    }

    private static Variable PoolOf(Variable x, string mode, int ws, int wsW, int st, int stW, int pad, bool ignoreBorder) =>
        signal.pool.pool_2d(x, (ws, wsW), ignore_border: ignoreBorder, stride: (st, stW), pad: (pad, pad), mode: mode);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDirectLoop(string mode, int ws, int wsW, int st, int stW, int pad, bool ignoreBorder)
    {
        var xv = Points.Normal(2, 3, 7, 6);
        var expected = Direct(DirectConv.ToArray(xv), (ws, wsW), (st, stW), (pad, pad), ignoreBorder, mode);
        foreach (var backend in new[] { "reference", "cpu" })
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var x = tensor(dtype, [false, false, false, false], "x");
            var actual = DirectConv.ToArray(function([x], PoolOf(x, mode, ws, wsW, st, stW, pad, ignoreBorder), backend: backend)(xv.astype(dtype)));
            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(expected.GetLength(2), actual.GetLength(2));
            Assert.Equal(expected.GetLength(3), actual.GetLength(3));
            foreach (var (e, a) in expected.Cast<double>().Zip(actual.Cast<double>()))
                Assert.True(Math.Abs(e - a) <= (dtype == "float64" ? 1e-12 : 1e-5) * (1 + Math.Abs(e)), $"{backend} {dtype}: {a} != {e}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(string mode, int ws, int wsW, int st, int stW, int pad, bool ignoreBorder) =>
        // distinct values, so that no finite-difference step moves the maximum of a window
        verify_grad(v => PoolOf(v[0], mode, ws, wsW, st, stW, pad, ignoreBorder), [Distinct(2, 2, 6, 5)]);

    [Theory]
    [InlineData("max")]
    [InlineData("sum")]
    [InlineData("average_inc_pad")]
    [InlineData("average_exc_pad")]
    public void SecondDerivativesMatchFiniteDifferences(string mode) =>
        verify_grad(v => grad(sqr(PoolOf(v[0] * v[1], mode, 2, 2, 1, 1, 1, true)).sum(), v[1]),
            [Distinct(1, 2, 4, 5), Points.Uniform(0.5, 1.5, 1, 2, 4, 5)]);

    private static NDArray Distinct(params int[] shape)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var order = new RandomState(5).permutation(n).astype(DType.Float64);
        return (order * 0.1 - n * 0.05).reshape(shape);
    }

    [Fact]
    public void MaxPoolGradientGoesToEveryTiedMaximum()
    {
        var x = dtensor4("x");
        var gx = grad(signal.pool.pool_2d(x, (2, 2)).sum(), x);
        var value = NDArray.FromArray(new double[,,,] { { { { 1, 3, 0, 2 }, { 3, 2, 2, 2 } } } });

        Assert.Equal(new double[] { 0, 1, 0, 1, 1, 0, 1, 1 }, function([x], gx)(value).ToFlatArray<double>());
        Assert.Equal(new double[] { 0, 1, 0, 1, 1, 0, 1, 1 }, function([x], gx, backend: "reference")(value).ToFlatArray<double>());
    }

    /// <summary>
    /// Tiling windows (stride = window, no padding: LeNet's pooling) take the CPU's direct path, forward and
    /// gradient: rows and columns that no window covers, ties, and every width around the vector length give the
    /// reference's numbers exactly.
    /// </summary>
    [Theory]
    [InlineData("float32", 2, 2, 7, 5)]
    [InlineData("float64", 2, 2, 6, 24)]
    [InlineData("float32", 3, 2, 10, 37)]
    [InlineData("float32", 2, 3, 9, 20)]
    public void TilingWindowsMatchTheReference(string dtype, int ws, int wsW, int height, int width)
    {
        var x = tensor(dtype, [false, false, false, false], "x");
        var pooled = signal.pool.pool_2d(x, (ws, wsW));
        Variable[] outputs = [pooled, grad((pooled * pooled).sum(), x)];
        // a coarse grid of values, so that many windows hold tied maxima
        var value = (new RandomState(9).randint(0, 4, 2, 3, height, width) - 2).astype(dtype);
        var expected = function([x], outputs, backend: "reference")(value);
        var actual = function([x], outputs, backend: "cpu")(value);
        for (var k = 0; k < 2; k++)
            Assert.Equal(expected[k].astype("float64").ToFlatArray<double>(), actual[k].astype("float64").ToFlatArray<double>());
    }

    [Fact]
    public void DebugprintShowsTheanosOps()
    {
        var x = dtensor4("x");
        var y = signal.pool.pool_2d(x, (2, 2), mode: "average_exc_pad");
        Assert.Equal(string.Join("\n",
            "Pool{ignore_border=True, mode='average_exc_pad', ndim=2} [id A] ''   ",
            " |x [id B]",
            " |TensorConstant{(2,) of 2} [id C]",
            " |TensorConstant{(2,) of 2} [id D]",
            " |TensorConstant{(2,) of 0} [id E]"), debugprint(y));
        Assert.StartsWith("AveragePoolGrad{ignore_border=True, mode='average_exc_pad', ndim=2}", debugprint(grad(y.sum(), x)));
        var m = signal.pool.pool_2d(x, (3, 2), ignore_border: false, stride: (1, 2));
        Assert.StartsWith("MaxPoolGrad{ignore_border=False, mode='max', ndim=2}", debugprint(grad(m.sum(), x)));
        var gx = grad(sqr(m).sum(), x);
        Assert.Contains("DownsampleFactorMaxGradGrad{ignore_border=False, mode='max', ndim=2}", debugprint(grad(gx.sum(), x)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InferredShapeIsTheComputedShape(string mode, int ws, int wsW, int st, int stW, int pad, bool ignoreBorder)
    {
        var x = dtensor4("x");
        var y = PoolOf(x, mode, ws, wsW, st, stW, pad, ignoreBorder);
        var dims = y.owner!.op.InferShape(y.owner, [[.. Enumerable.Range(0, 4).Select(a => x.shape[a])], [], [], []])[0];
        var results = function([x], [stack([.. dims.Select(d => cast(d, "int64"))]), y])(Points.Normal(1, 2, 7, 6));
        Assert.Equal(results[1].shape.Select(n => (long)n), results[0].ToFlatArray<long>());
    }

    [Fact]
    public void BadArgumentsRaiseNamingThem()
    {
        var x = dtensor4("x");
        Assert.Contains("padding works only with ignore_border=True",
            Assert.Throws<ArgumentException>(() => signal.pool.pool_2d(x, (2, 2), ignore_border: false, pad: (1, 1))).Message);
        Assert.Contains("pad (2, 0) must be smaller than ws (2, 2)",
            Assert.Throws<ArgumentException>(() => signal.pool.pool_2d(x, (2, 2), pad: (2, 0))).Message);
        Assert.Contains("mode must be one of",
            Assert.Throws<ArgumentException>(() => signal.pool.pool_2d(x, (2, 2), mode: "mean")).Message);
        Assert.Contains("the input v must be a float tensor of at least 2 dimensions",
            Assert.Throws<ArgumentException>(() => signal.pool.pool_2d(dvector("v"), (2, 2))).Message);
    }

    [Fact]
    public void ThreeDimensionalInputsPoolTheirLastTwoAxes()
    {
        var x = dtensor3("x");
        var xv = Points.Normal(3, 4, 4);
        var y = function([x], signal.pool.pool_2d(x, (2, 2), mode: "sum"))(xv);
        Assert.Equal([3, 2, 2], y.shape);
        Assert.Equal(xv.ToFlatArray<double>().Take(16).Where((_, i) => i % 4 < 2 && i < 8).Sum(), y.ToFlatArray<double>()[0], 12);
    }
}
