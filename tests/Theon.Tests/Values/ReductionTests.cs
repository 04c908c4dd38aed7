using System.Text.Json;
using Theon.Values;

namespace Theon.Tests.Values;

public class ReductionTests
{
    private static JsonElement Data => Fixtures.Values.GetProperty("reductions");

    private static NDArray Input() =>
        NDArray.FromArray(Fixtures.Doubles(Data.GetProperty("input")))
            .reshape(Fixtures.Ints(Data.GetProperty("shape")));

    [Fact]
    public void EveryAxisAndKeepdimsCombinationMatchesNumpy()
    {
        var x = Input();
        foreach (var c in Data.GetProperty("cases").EnumerateArray())
        {
            var axes = c.GetProperty("axes").ValueKind == JsonValueKind.Null
                ? null
                : Fixtures.Ints(c.GetProperty("axes"));
            var keepdims = c.GetProperty("keepdims").GetBoolean();
            var label = $"axes {(axes is null ? "None" : string.Join(",", axes))} keepdims {keepdims}";
            var sum = ArrayMath.Sum(x, axes, keepdims);
            Assert.True(Fixtures.Ints(c.GetProperty("sum").GetProperty("shape")).SequenceEqual(sum.shape), label);
            AssertClose(c.GetProperty("sum").GetProperty("values"), sum, label);
            AssertClose(c.GetProperty("mean"), ArrayMath.Mean(x, axes, keepdims), label);
            AssertClose(c.GetProperty("max"), ArrayMath.Max(x, axes, keepdims), label);
            AssertClose(c.GetProperty("min"), ArrayMath.Min(x, axes, keepdims), label);
            AssertClose(c.GetProperty("prod"), ArrayMath.Prod(x, axes, keepdims), label);
        }
    }

    [Fact]
    public void ReductionsWorkOnStridedViews()
    {
        var x = Input();
        var t = x.transpose(2, 0, 1);
        Assert.True(ArrayMath.Sum(x, [0, 1], false).AllClose(ArrayMath.Sum(t, [1, 2], false), 1e-14, 0));
        var b = np.arange(3.0).BroadcastTo(4, 3);
        Assert.Equal(new[] { 0.0, 4, 8 }, ArrayMath.Sum(b, [0], false).ToFlatArray<double>());
    }

    private static void AssertClose(JsonElement expected, NDArray actual, string label)
    {
        var e = Fixtures.Doubles(expected);
        var a = actual.ToFlatArray<double>();
        Assert.True(e.Length == a.Length, label);
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12 * Math.Max(1, Math.Abs(e[i])),
                $"{label}: [{i}] {a[i]} != {e[i]}");
    }

    [Fact]
    public void ArgmaxAndArgminMatchNumpy()
    {
        var x = Input();
        foreach (var c in Data.GetProperty("arg").EnumerateArray())
        {
            int? axis = c.GetProperty("axis").ValueKind == JsonValueKind.Null ? null : c.GetProperty("axis").GetInt32();
            Assert.Equal(Fixtures.Longs(c.GetProperty("argmax")), ArrayMath.Argmax(x, axis, false).ToFlatArray<long>());
            Assert.Equal(Fixtures.Longs(c.GetProperty("argmin")), ArrayMath.Argmin(x, axis, false).ToFlatArray<long>());
        }
        Assert.Equal(new[] { 1, 1, 1 }, ArrayMath.Argmax(x, null, true).shape);
        Assert.Equal("int64", ArrayMath.Argmax(x, 1, true).dtype);
        Assert.Equal(new[] { 2, 1, 4 }, ArrayMath.Argmax(x, 1, true).shape);
    }

    [Fact]
    public void ResultDtypesFollowNumpy()
    {
        NDArray ints = new[] { 1, 2, 3, 4 };
        NDArray flags = new[] { true, true, false };
        NDArray singles = new[] { 1f, 2f };
        Assert.Equal("int64", np.sum(ints).dtype);
        Assert.Equal(10L, (long)np.sum(ints));
        Assert.Equal("int64", np.sum(flags).dtype);
        Assert.Equal(2L, (long)np.sum(flags));
        Assert.Equal("float64", np.mean(ints).dtype);
        Assert.Equal(2.5, (double)np.mean(ints));
        Assert.Equal("float32", np.mean(singles).dtype);
        Assert.Equal("float32", np.sum(singles).dtype);
        Assert.Equal("int32", np.max(ints).dtype);
        Assert.Equal("bool", np.max(flags).dtype);
        Assert.True((bool)np.max(flags));
        Assert.False((bool)np.min(flags));
        Assert.Equal(24L, (long)np.prod(ints));
    }

    [Fact]
    public void EmptyAndNanCases()
    {
        Assert.Equal(0.0, (double)np.sum(np.zeros(0)));
        Assert.Equal(1.0, (double)np.prod(np.zeros(0)));
        Assert.True(double.IsNaN((double)np.mean(np.zeros(0))));
        var e = Assert.Throws<ArgumentException>(() => np.max(np.zeros(0)));
        Assert.Contains("zero-size array to reduction operation maximum", e.Message);
        Assert.Throws<ArgumentException>(() => np.argmax(np.zeros(0)));
        var emptySum = np.sum(np.zeros(0, 3), axis: 0, keepdims: true);
        Assert.Equal(new[] { 1, 3 }, emptySum.shape);
        Assert.Equal(new[] { 0.0, 0, 0 }, emptySum.ToFlatArray<double>());
        NDArray withNan = new[] { 1.0, double.NaN, 3.0 };
        Assert.True(double.IsNaN((double)np.max(withNan)));
        Assert.Equal(1L, (long)np.argmax(withNan));
        Assert.Throws<ArgumentOutOfRangeException>(() => np.sum(np.zeros(2, 3), axis: 2));
        Assert.Throws<ArgumentException>(() => ArrayMath.Sum(np.zeros(2, 3), [1, -1], false));
    }
}
