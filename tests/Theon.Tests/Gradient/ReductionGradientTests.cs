using static Theon.T;

namespace Theon.Tests.Gradient;

/// <summary>Reduction gradients where finite differences do not apply: zeros in a product, ties in a maximum.</summary>
public class ReductionGradientTests
{
    private static readonly Variable x = dvector("x"), m = dmatrix("m");

    [Theory]
    [InlineData(new[] { 0.0, 2, 3 }, new[] { 6.0, 0, 0 })]
    [InlineData(new[] { 0.0, 0, 3 }, new[] { 0.0, 0, 0 })]
    [InlineData(new[] { 1.0, 2, 3 }, new[] { 6.0, 3, 2 })]
    [InlineData(new[] { -2.0, 0, 0.5 }, new[] { 0.0, -1, 0 })]
    public void ProdSendsEachElementTheProductOfTheOthers(double[] point, double[] expected)
    {
        var value = function([x], grad(x.prod(), x))(point);

        Assert.Equal(expected, value.ToFlatArray<double>());
    }

    [Fact]
    public void ProdAlongAnAxisTreatsEachGroupOnItsOwn()
    {
        var value = function([m], grad(m.prod(1).sum(), m))(new double[,] { { 0, 2, 3 }, { 4, 0, 0 }, { 1, 2, 5 } });

        Assert.Equal(new[] { 6.0, 0, 0, 0, 0, 0, 10, 5, 2 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void MaxSendsTheGradientToEveryTiedElement()
    {
        var value = function([m], grad(m.max(), m))(new double[,] { { 1, 3 }, { 3, 2 } });

        Assert.Equal(new[] { 0.0, 1, 1, 0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void MinAlongAnAxisSendsTheGradientToEachRowsMinimum()
    {
        var value = function([m], grad(m.min(1).sum(), m))(new double[,] { { 1, 3 }, { 4, 2 } });

        Assert.Equal(new[] { 1.0, 0, 0, 1 }, value.ToFlatArray<double>());
    }
}
