using static Theon.T;

namespace Theon.Tests.Gradient;

/// <summary>Gradients through indices that are inputs of the function (verify_grad only moves float inputs).</summary>
public class IndexGradientTests
{
    [Fact]
    public void SliceWithSymbolicBoundsSendsTheGradientToTheSlicedRows()
    {
        var (x, a, b) = (dmatrix("x"), lscalar("a"), lscalar("b"));
        var g = function([x, a, b], grad((x[slice(a, b)] * 3).sum(), x));

        var value = g(np.ones(4, 2), 1, 3);

        Assert.Equal(new[] { 0.0, 0, 3, 3, 3, 3, 0, 0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void ScalarIndexWithSymbolicPositionSendsTheGradientToOneRow()
    {
        var (x, i) = (dmatrix("x"), iscalar("i"));
        var g = function([x, i], grad(sqr(x[i]).sum(), x));

        var value = g(np.arange(6.0).reshape(3, 2), -1);

        Assert.Equal(new[] { 0.0, 0, 0, 0, 8, 10 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void AdvancedIndexWithSymbolicLabelsIsOneHot()
    {
        var (x, y) = (dmatrix("x"), ivector("y"));
        var g = function([x, y], grad(x[arange(y.shape[0]), y].sum(), x));

        var value = g(np.zeros(3, 4), new[] { 2, 0, 2 });

        Assert.Equal(new[] { 0.0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void RepeatedAdvancedIndicesAccumulate()
    {
        var (x, y) = (dvector("x"), lvector("y"));
        var g = function([x, y], grad(x[y].sum(), x));

        Assert.Equal(new[] { 1.0, 0, 3 }, g(np.zeros(3), new long[] { 2, 0, 2, 2 }).ToFlatArray<double>());
    }

    [Fact]
    public void CastToFloat32PassesTheGradientBackAsFloat64()
    {
        var x = dvector("x");
        var g = function([x], grad((cast(x, "float32") * 2).sum(), x));

        var value = g(new[] { 1.0, -2.0 });

        Assert.Equal("float64", value.dtype);
        Assert.Equal(new[] { 2.0, 2.0 }, value.ToFlatArray<double>());
    }
}
