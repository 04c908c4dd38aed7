using Theon.Ops;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Conv;

/// <summary>
/// conv2d against <see cref="DirectConv"/> on every backend, its gradients by verify_grad (first and second order) for
/// each border mode, stride, dilation and flip, its symbolic shape, Theano's printing and its shape errors.
/// </summary>
public class Conv2dTests
{
    private static readonly GradientPoints Points = new(7);

    public static TheoryData<string, int, int, int, int, bool> Cases => new()
    {
        { "valid", 1, 1, 1, 1, true },
        { "full", 1, 1, 1, 1, true },
        { "half", 1, 1, 1, 1, true },
        { "(1,2)", 1, 1, 1, 1, true },
        { "valid", 2, 1, 1, 1, true },
        { "half", 2, 2, 1, 1, true },
        { "full", 3, 2, 1, 1, true },
        { "valid", 1, 1, 2, 1, true },
        { "full", 1, 1, 2, 2, true },
        { "(2,1)", 2, 1, 1, 2, true },
        { "valid", 1, 1, 1, 1, false },
        { "half", 2, 1, 2, 1, false },
    };

    private static object Border(string mode) => mode.StartsWith('(')
        ? (int.Parse(mode[1..^1].Split(',')[0]), int.Parse(mode[1..^1].Split(',')[1]))
        : mode;

    private static (int, int) Pads(string mode, int kh, int kw, int dh, int dw) => mode.StartsWith('(')
        ? ((int, int))Border(mode)
        : (DirectConv.Pad(mode, kh, dh), DirectConv.Pad(mode, kw, dw));

    private static Variable Conv(Variable x, Variable w, string mode, int sh, int sw, int dh, int dw, bool flip) =>
        nnet.conv2d(x, w, border_mode: Border(mode), subsample: (sh, sw), filter_dilation: (dh, dw), filter_flip: flip);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDirectLoop(string mode, int sh, int sw, int dh, int dw, bool flip)
    {
        var (xv, wv) = (Points.Normal(2, 3, 7, 8), Points.Normal(4, 3, 3, 2));
        var expected = DirectConv.Conv(DirectConv.ToArray(xv), DirectConv.ToArray(wv), Pads(mode, 3, 2, dh, dw),
            (sh, sw), (dh, dw), flip);
        foreach (var backend in new[] { "reference", "cpu" })
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var (x, w) = (tensor4Of(dtype, "x"), tensor4Of(dtype, "w"));
            var f = function([x, w], Conv(x, w, mode, sh, sw, dh, dw, flip), backend: backend);
            var actual = f(xv.astype(dtype), wv.astype(dtype));
            Assert.Equal([expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3)], actual.shape);
            var tolerance = dtype == "float64" ? 1e-12 : 1e-4;
            var got = DirectConv.ToArray(actual);
            foreach (var (e, a) in expected.Cast<double>().Zip(got.Cast<double>()))
                Assert.True(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)), $"{backend} {dtype}: {a} != {e}");
        }
    }

    private static Variable tensor4Of(string dtype, string name) => tensor(dtype, [false, false, false, false], name);

    // Small output maps put several images side by side in one GEMM; 7 images leave a partial group on each thread.
    [Theory]
    [InlineData("valid", 1)]
    [InlineData("half", 2)]
    public void GroupedImagesMatchTheReference(string mode, int stride)
    {
        var (x, w, g) = (ftensor4("x"), ftensor4("w"), ftensor4("g"));
        var y = Conv(x, w, mode, stride, stride, 1, 1, true);
        Variable[] outputs = [y, grad((y * g).sum(), w), grad((y * g).sum(), x)];
        var (xv, wv) = (Points.Normal(7, 3, 6, 6).astype("float32"), Points.Normal(4, 3, 3, 3).astype("float32"));
        var yShape = function([x, w], y, backend: "reference")(xv, wv).shape;
        var gv = Points.Normal(yShape).astype("float32");
        var expected = function([x, w, g], outputs, backend: "reference")(xv, wv, gv);
        var actual = function([x, w, g], outputs, backend: "cpu")(xv, wv, gv);
        for (var i = 0; i < outputs.Length; i++)
            Assert.Equal(expected[i].ToFlatArray<float>(), actual[i].ToFlatArray<float>(), (a, b) => Math.Abs(a - b) <= 1e-4f * (1 + Math.Abs(a)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(string mode, int sh, int sw, int dh, int dw, bool flip) =>
        verify_grad(v => Conv(v[0], v[1], mode, sh, sw, dh, dw, flip), [Points.Normal(2, 2, 6, 5), Points.Normal(3, 2, 3, 2)]);

    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("full", 2, 1)]
    [InlineData("half", 1, 2)]
    public void SecondDerivativesMatchFiniteDifferences(string mode, int stride, int dilation)
    {
        var (x, w) = (Points.Normal(2, 2, 5, 5), Points.Normal(2, 2, 2, 3));
        Variable Cost(Variable a, Variable b) => sqr(Conv(a, b, mode, stride, stride, dilation, 1, true)).sum();
        verify_grad(v => grad(Cost(v[0], v[1]), v[0]), [x, w]);
        verify_grad(v => grad(Cost(v[0], v[1]), v[1]), [x, w]);
    }

    [Fact]
    public void TheGradientIsTheTwoOpsOfTheano()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var cost = nnet.conv2d(x, w).sum();
        var (gx, gw) = (grad(cost, x), grad(cost, w));

        Assert.IsType<AbstractConv2dGradInputs>(gx.owner!.op);
        Assert.IsType<AbstractConv2dGradWeights>(gw.owner!.op);
    }

    [Fact]
    public void DebugprintShowsTheanosProps()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var y = nnet.conv2d(x, w, input_shape: [null, 1, 28, 28], filter_shape: [20, 1, 5, 5], border_mode: (2, 1),
            subsample: (2, 2));

        Assert.Equal(string.Join("\n",
            "AbstractConv2d{convdim=2, border_mode=(2, 1), subsample=(2, 2), filter_flip=True, imshp=(None, 1, 28, 28), kshp=(20, 1, 5, 5), filter_dilation=(1, 1), num_groups=1, unshared=False} [id A] ''   ",
            " |x [id B]",
            " |w [id C]"), debugprint(y));
        Assert.StartsWith("AbstractConv2d_gradInputs{convdim=2, border_mode=(2, 1), subsample=(2, 2), filter_flip=True",
            debugprint(grad(y.sum(), x)));
        Assert.StartsWith("AbstractConv2d_gradWeights{convdim=2, border_mode='half', subsample=(1, 1), filter_flip=False",
            debugprint(grad(nnet.conv2d(x, w, border_mode: "half", filter_flip: false).sum(), w)));
        Assert.StartsWith("AbstractConv2d{convdim=2, border_mode='valid'", pp(nnet.conv2d(x, w, border_mode: (0, 0))));
    }

    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("full", 2, 1)]
    [InlineData("half", 3, 2)]
    [InlineData("(1,2)", 2, 2)]
    public void InferredShapeIsTheComputedShape(string mode, int stride, int dilation)
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var y = Conv(x, w, mode, stride, 1, dilation, 1, true);
        var inferred = stack([.. y.owner!.op.InferShape(y.owner, [[.. Enumerable.Range(0, 4).Select(a => x.shape[a])],
            [.. Enumerable.Range(0, 4).Select(a => w.shape[a])]])[0].Select(d => cast(d, "int64"))]);
        var (xv, wv) = (Points.Normal(2, 3, 9, 7), Points.Normal(4, 3, 3, 2));
        var f = function([x, w], [inferred, y]);
        var results = f(xv, wv);
        Assert.Equal(results[1].shape.Select(n => (long)n), results[0].ToFlatArray<long>());
    }

    [Fact]
    public void ChannelsThatDoNotMatchRaiseWhenTheGraphIsBuilt()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var e = Assert.Throws<ArgumentException>(() =>
            nnet.conv2d(x, w, input_shape: [null, 3, 28, 28], filter_shape: [20, 1, 5, 5]));
        Assert.Contains("w", e.Message);
        Assert.Contains("expect 1 input channels", e.Message);
        Assert.Contains("has 3", e.Message);
    }

    [Fact]
    public void AFilterLargerThanAValidInputRaisesWhenBuilt()
    {
        var (x, w) = (dtensor4("x"), dtensor4("w"));
        var e = Assert.Throws<ArgumentException>(() =>
            nnet.conv2d(x, w, input_shape: [null, 1, 4, 4], filter_shape: [2, 1, 5, 5]));
        Assert.Contains("larger than the input x", e.Message);
        nnet.conv2d(x, w, input_shape: [null, 1, 4, 4], filter_shape: [2, 1, 5, 5], border_mode: "full");
    }

    [Fact]
    public void AThreeDimensionalInputRaisesNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => nnet.conv2d(dtensor3("images"), dtensor4("w")));
        Assert.Contains("the input images must be a float 4-d tensor", e.Message);
        Assert.Contains($"got {dtensor3().type}", e.Message);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void ShapeErrorsAtCallTimeNameTheInputAndChangeNothing(string backend)
    {
        var (x, w) = (dtensor4("x"), shared(Points.Normal(4, 3, 3, 3), "w"));
        var y = nnet.conv2d(x, w, input_shape: [null, 3, 8, 8]);
        var f = function([x], y.sum(), updates: [(w, w * 2)], backend: backend);
        var before = w.get_value().ToFlatArray<double>();

        var channels = Assert.Throws<ArgumentException>(() => f(Points.Normal(2, 2, 8, 8)));
        Assert.Contains("x of shape (2, 2, 8, 8)", channels.Message);
        Assert.Contains("input_shape (None, 3, 8, 8)", channels.Message);
        var hintless = function([x], nnet.conv2d(x, w).sum(), backend: backend);
        var small = Assert.Throws<ArgumentException>(() => hintless(Points.Normal(2, 3, 2, 8)));
        Assert.Contains("larger than the input x of shape (2, 3, 2, 8)", small.Message);
        var mismatch = Assert.Throws<ArgumentException>(() => hintless(Points.Normal(2, 5, 8, 8)));
        Assert.Contains("w of shape (4, 3, 3, 3) expect 3 input channels, the input x of shape (2, 5, 8, 8) has 5", mismatch.Message);
        Assert.Equal(before, w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void MixedDTypesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => nnet.conv2d(ftensor4("x"), dtensor4("w")));
        Assert.Contains("x is float32 and w is float64", e.Message);
    }
}
