using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Compile;

/// <summary>The fused softmax cross-entropy with integer labels and its gradient (Theano's 1HotWithBias
/// pair).</summary>
public class CrossentropySoftmax1HotTests
{
    private static (Variable X, Variable Y, Variable Cost) Graph(string dtype = "float64")
    {
        var (x, y) = (dtype == "float32" ? fmatrix("x") : dmatrix("x"), lvector("y"));
        return (x, y, mean(nnet.categorical_crossentropy(nnet.softmax(x), y)));
    }

    private static IEnumerable<Op> Ops(Delegate f) =>
        GraphWalk.TopoSort(CompiledFunction.Of(f).OptimizedOutputs).Select(n => n.op);

    [Fact]
    public void TheCostAndItsGradientBecomeTheFusedPair()
    {
        var (x, y, cost) = Graph();
        var f = function([x, y], [cost, grad(cost, x)]);
        Assert.Contains("local_crossentropy_softmax_1hot", CompiledFunction.Of(f).RewritesApplied);
        Assert.Contains("local_crossentropy_softmax_1hot_grad", CompiledFunction.Of(f).RewritesApplied);
        var ops = Ops(f).ToList();
        Assert.Contains(ops, op => op is CrossentropySoftmax1Hot);
        Assert.Contains(ops, op => op is CrossentropySoftmax1HotDx);
        Assert.DoesNotContain(ops, op => op is AdvancedSubtensor or AdvancedIncSubtensor or LogSoftmax);
    }

    [Fact]
    public void ArangeOverAnotherLengthIsLeftAlone()
    {
        var (x, y, n) = (matrix("x"), lvector("y"), lscalar("n"));
        var f = function([x, y, n], -log(nnet.softmax(x))[arange(n), y]);
        Assert.DoesNotContain(Ops(f), op => op is CrossentropySoftmax1Hot);
    }

    [Theory]
    [InlineData("cpu", "float64", 1e-12)]
    [InlineData("reference", "float64", 1e-12)]
    [InlineData("cpu", "float32", 1e-5)]
    public void CostAndGradientMatchTheDefinition(string backend, string dtype, double tolerance)
    {
        var (x, y, cost) = Graph(dtype);
        var f = function([x, y], [cost, grad(cost, x)], backend: backend);
        var state = np.random.RandomState(11);
        var logits = state.uniform(-4, 4, [7, 5]);
        var labels = state.randint(0, 5, [7]);
        var (c, g) = f(logits.astype(dtype), labels);
        var (z, t) = (logits.ToFlatArray<double>(), labels.ToFlatArray<long>());
        var expectedCost = 0.0;
        var expectedGrad = new double[z.Length];
        for (var i = 0; i < 7; i++)
        {
            var row = z.AsSpan(i * 5, 5);
            var max = row.ToArray().Max();
            var total = row.ToArray().Sum(v => Math.Exp(v - max));
            expectedCost += (Math.Log(total) - (row[(int)t[i]] - max)) / 7;
            for (var j = 0; j < 5; j++)
                expectedGrad[i * 5 + j] = (Math.Exp(row[j] - max) / total - (j == t[i] ? 1 : 0)) / 7;
        }
        Assert.Equal(expectedCost, (double)c, tolerance);
        Assert.Equal(expectedGrad, g.astype("float64").ToFlatArray<double>(), (a, b) => Math.Abs(a - b) < tolerance);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void StaysFiniteWhereTheTrueClassUnderflows(string backend)
    {
        var (x, y, cost) = Graph();
        var f = function([x, y], [cost, grad(cost, x)], backend: backend);
        var logits = NDArray.FromArray(new double[,] { { 0, 1000 }, { 0, 0 } });
        var (c, g) = f(logits, NDArray.FromArray(new long[] { 0, 1 }));
        Assert.Equal((1000 + Math.Log(2)) / 2, (double)c, 1e-9);
        Assert.Equal([-0.5, 0.5, 0.25, -0.25], g.ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void ALabelOutOfRangeIsAnErrorNamingIt(string backend)
    {
        var (x, y, cost) = Graph();
        var f = function([x, y], cost, backend: backend);
        var error = Assert.Throws<ArgumentException>(() =>
            f(NDArray.FromArray(new double[,] { { 0, 1 }, { 2, 3 } }), NDArray.FromArray(new long[] { 0, 2 })));
        Assert.Contains("label 2 is outside [0, 2)", error.Message);
    }

    [Fact]
    public void LabelsOfAnotherLengthAreAnError()
    {
        var x = matrix("x");
        var y = lvector("y");
        var f = function([x, y], CrossentropySoftmax1Hot.Op.MakeNode(x, y).outputs[0]);
        var error = Assert.Throws<ArgumentException>(() =>
            f(NDArray.FromArray(new double[,] { { 0, 1 }, { 2, 3 } }), NDArray.FromArray(new long[] { 0 })));
        Assert.Contains("labels of shape (1,) do not match 2 rows", error.Message);
    }

    [Fact]
    public void MakeNodeRefusesFloatLabels()
    {
        var error = Assert.Throws<ArgumentException>(() => CrossentropySoftmax1Hot.Op.MakeNode(matrix("x"), vector("y")));
        Assert.Contains("integer vector of labels, got y of type", error.Message);
    }

    private static readonly Constant Labels = constant(NDArray.FromArray(new long[] { 2, 0, 1, 2 }));

    [Fact]
    public void VerifyGradOfTheCost() =>
        verify_grad(v => CrossentropySoftmax1Hot.Op.MakeNode(v[0], Labels).outputs[0],
            [np.random.RandomState(3).uniform(-2, 2, [4, 3])]);

    [Fact]
    public void VerifyGradOfTheGradient() =>
        verify_grad(v => CrossentropySoftmax1HotDx.Op.MakeNode(v[0], nnet.softmax(v[1]), Labels).outputs[0],
            [np.random.RandomState(4).uniform(-1, 1, [4]), np.random.RandomState(5).uniform(-2, 2, [4, 3])]);

    [Fact]
    public void PrintsAsAFunctionOfLogitsAndLabels()
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var nll = CrossentropySoftmax1Hot.Op.MakeNode(x, y).outputs[0];
        Assert.Equal("crossentropy_softmax_1hot(x, y)", pp(nll));
    }
}
