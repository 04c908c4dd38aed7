using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>The nnet functions stay finite where their naive formulas overflow: compiled graphs are stable.</summary>
public class StabilityTests
{
    private static readonly Variable x = dvector("x"), m = dmatrix("m");

    [Fact]
    public void LogSigmoidOfALargeNegativeNumber()
    {
        var value = function([x], log(sigmoid(x)))(new[] { -800.0, 800.0 });

        Assert.Equal(new[] { -800.0, 0.0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void BinaryCrossentropyOfSaturatedSigmoids()
    {
        var cost = nnet.binary_crossentropy(sigmoid(x), constant(new[] { 0.0, 1.0 }));

        var value = function([x], cost)(new[] { 800.0, -800.0 });

        Assert.Equal(new[] { 800.0, 800.0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void CategoricalCrossentropyOfLargeLogits()
    {
        var cost = nnet.categorical_crossentropy(nnet.softmax(m), constant(new[] { 1, 0 }));

        var value = function([m], cost)(new double[,] { { 1000, 0 }, { -1000, 0 } });

        Assert.Equal(new[] { 1000.0, 1000.0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void SoftmaxOfLargeLogits()
    {
        var value = function([m], nnet.softmax(m))(new double[,] { { 1000, 0 }, { -1000, 1000 } });

        Assert.Equal(new[] { 1.0, 0, 0, 1 }, value.ToFlatArray<double>());
    }
}
