namespace Theon.Tests.Values;

/// <summary>
/// Tests of the process-wide np.random state. They join the walkthroughs' non-parallel collection (defined in
/// Walkthroughs/) so that no other test draws from the global state between a seed and its draws.
/// </summary>
[Collection("GlobalConfig")]
public class GlobalRandomStateTests
{
    [Fact]
    public void GlobalStateIsReproducibleAfterSeeding()
    {
        np.random.seed(0);
        var first = np.random.randn(4, 5);
        np.random.seed(0);
        var second = np.random.randn(4, 5);
        Assert.Equal(new[] { 4, 5 }, first.shape);
        Assert.Equal(first.ToFlatArray<double>(), second.ToFlatArray<double>());
        Assert.Equal(0.5488135039273248, (double)np.random.RandomState(0).rand());
    }

    [Fact]
    public void WalkthroughExpressionsWork()
    {
        np.random.seed(0);
        var labels = np.random.randint(0, 2, 5);
        var X = np.random.standard_normal(2, 5) * 0.8 + (labels * 2.0 - 1.0);
        Assert.Equal(new[] { 2, 5 }, X.shape);
        Assert.Equal("float64", X.dtype);
        var z = np.random.randint(0, 32, 64).astype("int32");
        Assert.Equal("int32", z.dtype);
        Assert.True((long)np.max(z) < 32);
        var w = np.zeros(3, 2).astype("float32");
        Assert.Equal("float32", w.dtype);
        Assert.Equal(0.0, (double)w[0][1]);
    }

    [Fact]
    public void SeededNormalMatchesNumpy()
    {
        np.random.seed(0);
        var x = np.random.standard_normal(3);
        Assert.Equal(1.764052345967664, x.GetItem<double>(0), 15);
        Assert.Equal(0.4001572083672233, x.GetItem<double>(1), 15);
    }
}
