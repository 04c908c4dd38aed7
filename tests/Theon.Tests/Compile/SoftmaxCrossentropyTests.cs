using static Theon.T;

namespace Theon.Tests.Compile;

public class SoftmaxCrossentropyTests
{
    // The gradient of mean(categorical_crossentropy(softmax(x), y)) is (softmax(x) - onehot(y)) / n.
    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void GradientStaysFiniteWhereTheTrueClassUnderflows(string backend)
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var cost = mean(nnet.categorical_crossentropy(nnet.softmax(x), y));
        var f = function([x, y], grad(cost, x), backend: backend);
        Assert.Contains("local_softmax_grad_of_div", CompiledFunction.Of(f).RewritesApplied);
        var g = f(NDArray.FromArray(new double[,] { { 0, 1000 }, { 0, 0 } }), NDArray.FromArray(new long[] { 0, 1 }));
        Assert.Equal([-0.5, 0.5, 0.25, -0.25], g.ToFlatArray<double>());
    }

    [Fact]
    public void RewrittenGradientMatchesTheUnstableFormWhereBothAreFinite()
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var cost = mean(nnet.categorical_crossentropy(nnet.softmax(x), y));
        var f = function([x, y], grad(cost, x));
        var logits = np.random.RandomState(5).uniform(-3, 3, [6, 4]);
        var labels = NDArray.FromArray(new long[] { 0, 3, 1, 2, 2, 0 });
        var sm = function([x], nnet.softmax(x), backend: "reference")(logits).ToFlatArray<double>();
        var expected = sm.Select((p, i) => (p - (i % 4 == (long)labels[i / 4] ? 1 : 0)) / 6).ToArray();
        Assert.Equal(expected, f(logits, labels).ToFlatArray<double>(), (a, b) => Math.Abs(a - b) < 1e-14);
    }
}
