namespace Theon.Tests.Values;

public class FacadeTests
{
    [Fact]
    public void ConstructorsHaveNumpysDefaults()
    {
        Assert.Equal("array([[0., 0., 0.],\n       [0., 0., 0.]])", np.zeros(2, 3).ToString());
        Assert.Equal("array([0, 0], dtype=int32)", np.zeros([2], "int32").ToString());
        Assert.Equal("array([1., 1.])", np.ones(2).ToString());
        Assert.Equal("array([ True,  True])", np.ones([2], "bool").ToString());
        Assert.Equal("array([[2.5, 2.5]])", np.full([1, 2], 2.5).ToString());
        Assert.Equal("array([7, 7], dtype=int8)", np.full([2], 7, "int8").ToString());
        Assert.Equal("array(0.)", np.zeros().ToString());
        Assert.Equal("array([0., 0.], dtype=float32)", np.zeros_like(np.ones(2).astype("float32")).ToString());
        Assert.Equal("array([1, 1])", np.ones_like(np.arange(2)).ToString());
    }

    [Fact]
    public void ArrayAndAsarray()
    {
        Assert.Equal("array([[1, 2],\n       [3, 4]], dtype=int32)",
            np.array(new[,] { { 1, 2 }, { 3, 4 } }).ToString());
        Assert.Equal("array(5)", np.array(5).ToString());
        Assert.Equal("array(2.5)", np.array(2.5).ToString());
        Assert.Equal("array(True)", np.array(true).ToString());
        Assert.Equal("array([1., 2.], dtype=float32)", np.array(new[] { 1, 2 }, "float32").ToString());
        Assert.Equal("array([1, 2], dtype=int8)", np.array(new sbyte[] { 1, 2 }).ToString());
        var a = np.arange(3.0);
        var copy = np.array(a);
        Assert.NotSame(a.Buffer, copy.Buffer);
        Assert.Same(a, np.asarray(a));
        Assert.Same(a, np.asarray(a, "float64"));
        Assert.Equal("int32", np.asarray(a, "int32").dtype);
        Assert.Equal("float64", np.asarray(new[] { 1.0 }).dtype);
    }

    [Fact]
    public void MathAndComparisons()
    {
        NDArray x = new[] { 1.0, 4.0, 9.0 };
        Assert.Equal("array([1., 2., 3.])", np.sqrt(x).ToString());
        Assert.True(np.allclose(np.log(np.exp(x)), x));
        Assert.True(np.allclose(np.tanh(np.array(0.5)), Math.Tanh(0.5)));
        Assert.Equal("array([1., 4., 5.])", np.minimum(x, 5.0).ToString());
        Assert.Equal("array([5., 5., 9.])", np.maximum(x, 5.0).ToString());
        Assert.Equal("array([ 1., -4.,  9.])", np.where(np.equal(x, 4.0), -x, x).ToString());
        Assert.Equal("array([1., 4., 9.])", np.abs(-x).ToString());
        Assert.Equal("array([ True, False, False])", np.less(x, 2.0).ToString());
        Assert.Equal("array([4., 4., 6.])", np.clip(x, 4.0, 6.0).ToString());
        Assert.Equal("array([1., 2., 3.])", np.power(x, 0.5).ToString());
        Assert.Equal(14.0, (double)np.sum(x));
        Assert.Equal(2L, (long)np.argmax(x));
        Assert.Equal(0L, (long)np.argmin(x));
        Assert.Equal(9.0, (double)np.max(x));
        Assert.Equal(new[] { 1.5, 5.5 }, np.mean(np.arange(8.0).reshape(2, 4), axis: 1).ToFlatArray<double>());
        Assert.Equal(new long[] { 3, 3 }, np.argmax(np.arange(8).reshape(2, 4), axis: -1).ToFlatArray<long>());
    }

    [Fact]
    public void EqualityHelpers()
    {
        Assert.True(np.array_equal(np.arange(3), np.arange(3.0)));
        Assert.False(np.array_equal(np.arange(3), np.arange(4)));
        Assert.False(np.array_equal(np.arange(4).reshape(2, 2), np.arange(4)));
        Assert.False(np.array_equal(np.array(new[] { double.NaN }), np.array(new[] { double.NaN })));
        Assert.True(np.allclose(np.ones(3), 1.0 + 1e-9));
        Assert.False(np.allclose(np.ones(3), 1.001));
        Assert.False(np.allclose(np.array(new[] { double.NaN }), np.array(new[] { double.NaN })));
        Assert.Throws<ArgumentException>(() => np.allclose(np.ones(3), np.ones(2)));
    }

    [Fact]
    public void LinspaceAndEyeMatchNumpy()
    {
        var data = Fixtures.Values.GetProperty("constructors");
        foreach (var c in data.GetProperty("linspace").EnumerateArray())
        {
            var values = np.linspace(c[0].GetDouble(), c[1].GetDouble(), c[2].GetInt32(), c[3].GetBoolean());
            Assert.Equal(Fixtures.Doubles(c[4]), values.ToFlatArray<double>());
        }
        foreach (var c in data.GetProperty("eye").EnumerateArray())
        {
            var eye = np.eye(c[0].GetInt32(), c[1].GetInt32(), c[2].GetInt32());
            Assert.Equal(Fixtures.Doubles(c[3]), eye.ToFlatArray<double>());
        }
        Assert.Equal("array([[1, 0],\n       [0, 1]], dtype=int32)", np.identity(2, "int32").ToString());
    }
}
