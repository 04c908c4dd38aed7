using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using Theon.Tests.Conv;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// conv2d, its two gradient ops and the pooling ops on the device (the emulated one here; the same tests run on a GPU
/// through <c>tests/gpu/check.sh</c>): each case of the CPU suites against the reference backend's direct loops, in
/// float32 and float64, with nothing left to the host; batches split into groups of column matrices; max pooling's
/// gradient to every tied maximum as Theano's <c>MaxPoolGrad</c>; shape errors that name the input.
/// </summary>
public class ConvDeviceTests
{
    private static readonly GradientPoints Points = new(11);

    private static object Border(string mode) => mode.StartsWith('(')
        ? (int.Parse(mode[1..^1].Split(',')[0]), int.Parse(mode[1..^1].Split(',')[1]))
        : mode;

    private static void Close(NDArray expected, NDArray actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (e, a) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])),
                $"{what}, element {i}: {a[i]} != {e[i]}");
    }

    private static readonly string[] Devices = ["emulated", "cuda"];

    public static TheoryData<string, string, int, int, int, int, bool> ConvCases()
    {
        var data = new TheoryData<string, string, int, int, int, int, bool>();
        foreach (var device in Devices)
        foreach (var row in Conv2dTests.Cases)
        {
            var c = row.Data;
            data.Add(device, c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6);
        }
        return data;
    }

    public static TheoryData<string, string, int, int, int, int, int, bool> PoolCases()
    {
        var data = new TheoryData<string, string, int, int, int, int, int, bool>();
        foreach (var device in Devices)
        foreach (var row in Pool2dTests.Cases())
        {
            var c = row.Data;
            data.Add(device, c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, c.Item7);
        }
        return data;
    }

    /// <summary>The function on the device (the emulated one unless named), checked to run every node there.</summary>
    private static Func<object[], NDArray[]> OnDevice(Delegate f, string device = "emulated")
    {
        var compiled = CompiledFunction.Of(f).On(Backends.Named(device));
        var plan = Assert.IsType<CudaExecutable>(compiled.Executable).Plan;
        Assert.Empty(ExecutionPlan.Fallbacks(plan).Select(n => n.op.Name));
        return compiled.Call;
    }

    private static Variable Tensor4(string dtype, string name) => tensor(dtype, [false, false, false, false], name);

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_and_its_gradients_match_the_reference_on_the_device(string device, string mode, int sh, int sw,
        int dh, int dw, bool flip)
    {
        var (xv, wv) = (Points.Normal(3, 2, 7, 8), Points.Normal(4, 2, 3, 2));
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var (x, w, g) = (Tensor4(dtype, "x"), Tensor4(dtype, "w"), Tensor4(dtype, "g"));
            var y = nnet.conv2d(x, w, border_mode: Border(mode), subsample: (sh, sw), filter_dilation: (dh, dw),
                filter_flip: flip);
            var gv = Points.Normal(function([x, w], y, backend: "reference")(xv.astype(dtype), wv.astype(dtype)).shape)
                .astype(dtype);
            var cost = (y * g).sum();
            var f = function([x, w, g], [y, grad(cost, x), grad(cost, w)], backend: "reference");
            object[] args = [xv.astype(dtype), wv.astype(dtype), gv];
            var (expected, actual) = (f(args), OnDevice(f, device)(args));
            var tolerance = dtype == "float64" ? 1e-12 : 1e-4;
            for (var i = 0; i < 3; i++) Close(expected[i], actual[i], tolerance, $"{dtype} output {i}");
        }
    }

    // 7 images in groups of 2 (the column bound set low on this thread): the filter gradient accumulates over groups.
    [Theory]
    [InlineData("valid", 1)]
    [InlineData("half", 2)]
    public void A_batch_split_into_groups_gives_the_same_numbers(string mode, int stride)
    {
        var (x, w, g) = (dtensor4("x"), dtensor4("w"), dtensor4("g"));
        var y = nnet.conv2d(x, w, border_mode: mode, subsample: (stride, stride));
        var (xv, wv) = (Points.Normal(7, 3, 6, 6), Points.Normal(4, 3, 3, 3));
        var gv = Points.Normal(function([x, w], y, backend: "reference")(xv, wv).shape);
        var f = function([x, w, g], [y, grad((y * g).sum(), x), grad((y * g).sum(), w)], backend: "reference");
        var expected = f(xv, wv, gv);
        var perImage = 3L * 3 * 3 * (stride == 1 ? 16 : 9);
        ConvDeviceOps.ColumnElementsOnThisThread = 2 * perImage;
        try
        {
            var actual = OnDevice(f)([xv, wv, gv]);
            for (var i = 0; i < 3; i++) Close(expected[i], actual[i], 1e-12, $"output {i}");
        }
        finally
        {
            ConvDeviceOps.ColumnElementsOnThisThread = null;
        }
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pooling_and_its_gradient_match_the_reference_on_the_device(string device, string mode, int ws, int wsW,
        int st, int stW, int pad, bool ignoreBorder)
    {
        var xv = Points.Normal(2, 3, 7, 6);
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var x = Tensor4(dtype, "x");
            var z = signal.pool.pool_2d(x, (ws, wsW), ignore_border: ignoreBorder, stride: (st, stW), pad: (pad, pad),
                mode: mode);
            var g = Tensor4(dtype, "g");
            var gv = Points.Normal(function([x], z, backend: "reference")(xv.astype(dtype)).shape).astype(dtype);
            var f = function([x, g], [z, grad((z * g).sum(), x)], backend: "reference");
            object[] args = [xv.astype(dtype), gv];
            var (expected, actual) = (f(args), OnDevice(f, device)(args));
            var tolerance = dtype == "float64" ? 1e-12 : 1e-5;
            for (var i = 0; i < 2; i++) Close(expected[i], actual[i], tolerance, $"{dtype} output {i}");
        }
    }

    // Theano's MaxPoolGrad.perform: every input equal to its window's maximum receives the gradient.
    [Fact]
    public void Max_pooling_gradient_goes_to_every_tied_maximum_on_the_device()
    {
        var x = dtensor4("x");
        var gx = grad(signal.pool.pool_2d(x, (2, 2)).sum(), x);
        var value = NDArray.FromArray(new double[,,,] { { { { 1, 3, 0, 2 }, { 3, 2, 2, 2 } } } });

        var actual = OnDevice(function([x], gx))([value])[0];

        Assert.Equal(new double[] { 0, 1, 0, 1, 1, 0, 1, 1 }, actual.ToFlatArray<double>());
    }

    // DownsampleFactorMaxGradGrad (the second derivative of max pooling), ties included: the last maximum's value.
    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void The_second_derivative_of_max_pooling_matches_the_reference(bool ignoreBorder, int pad)
    {
        var (x, gz, v) = (dtensor4("x"), dtensor4("gz"), dtensor4("v"));
        var z = signal.pool.pool_2d(x, (3, 2), ignore_border: ignoreBorder, stride: (2, 1), pad: (pad, pad));
        var gx = grad((z * gz).sum(), x);
        var ggz = grad((gx * v).sum(), gz);
        var xv = np.random.RandomState(4).randint(0, 4, [2, 2, 7, 5]).astype(DType.Float64);   // many ties
        var zShape = function([x], z, backend: "reference")(xv).shape;
        object[] args = [xv, Points.Normal(zShape), Points.Normal(xv.shape)];
        var f = function([x, gz, v], [gx, ggz], backend: "reference");
        Assert.Contains(GraphWalk.TopoSort(CompiledFunction.Of(f).LoweredOutputs),
            n => n.op is DownsampleFactorMaxGradGrad);
        var (expected, actual) = (f(args), OnDevice(f)(args));
        for (var i = 0; i < 2; i++) Close(expected[i], actual[i], 1e-12, $"output {i}");
    }

    // Transposed views (device views, not copies) are made contiguous before the kernels read them.
    [Fact]
    public void Views_of_the_inputs_give_the_same_numbers()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var xt = x.dimshuffle(0, 1, 3, 2);
        var y = nnet.conv2d(xt, w.dimshuffle(0, 1, 3, 2), border_mode: "half");
        var z = signal.pool.pool_2d(y.dimshuffle(0, 1, 3, 2), (2, 3), mode: "average_exc_pad");
        var f = function([x, w], [z, grad(z.sum(), x), grad(z.sum(), w)], backend: "reference");
        object[] args = [Points.Normal(2, 3, 9, 8), Points.Normal(4, 3, 2, 3)];
        var (expected, actual) = (f(args), OnDevice(f)(args));
        for (var i = 0; i < 3; i++) Close(expected[i], actual[i], 1e-12, $"output {i}");
    }

    [Fact]
    public void A_wrong_output_gradient_shape_raises_naming_it_and_changes_nothing()
    {
        var x = dtensor4("x");
        var w = shared(Points.Normal(2, 1, 3, 3), name: "w");
        var g = dtensor4("g");
        var y = nnet.conv2d(x, w);
        var before = w.get_value().ToFlatArray<double>();
        var f = function([x, g], [], updates: [(w, w - 0.1 * grad((y * g).sum(), w))], backend: "reference");
        var step = OnDevice(f);

        var error = Assert.Throws<ArgumentException>(() => step([Points.Normal(1, 1, 6, 6), Points.Normal(1, 2, 3, 3)]));

        Assert.Contains("output gradient", error.Message);
        Assert.Contains("(1, 2, 3, 3)", error.Message);
        Assert.Contains("(4, 4)", error.Message);
        Assert.Equal(before, w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void Channels_that_do_not_match_at_call_time_raise_naming_the_input()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var f = OnDevice(function([x, w], nnet.conv2d(x, w)));

        var error = Assert.Throws<ArgumentException>(() => f([Points.Normal(1, 3, 6, 6), Points.Normal(2, 2, 3, 3)]));

        Assert.Contains("input channels", error.Message);
        Assert.Contains("x", error.Message);
        Assert.Contains("(1, 3, 6, 6)", error.Message);
    }
}
