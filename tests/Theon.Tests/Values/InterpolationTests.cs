using System.Globalization;

namespace Theon.Tests.Values;

/// <summary>Interpolated strings read as Python f-strings: str by default, repr on request, numeric formats for one value.</summary>
public class InterpolationTests
{
    [Fact]
    public void ZeroDimensionalArrayInterpolatesAsItsScalar()
    {
        var a = NDArray.Scalar((sbyte)1);
        Assert.Equal("is 1", $"is {a}");
        Assert.Equal("array(1, dtype=int8)", a.ToString());
        Assert.Equal("array(1, dtype=int8)", $"{a:r}");
    }

    [Fact]
    public void VectorInterpolatesAsNumpyStr() => Assert.Equal("[1. 2.]", $"{NDArray.FromArray(new[] { 1.0, 2.0 })}");

    [Fact]
    public void NumericFormatAppliesToOneElement()
    {
        Assert.Equal("0.25", string.Create(CultureInfo.InvariantCulture, $"{NDArray.Scalar(0.25):F2}"));
        Assert.Throws<FormatException>(() => $"{NDArray.FromArray(new[] { 1.0, 2.0 }):F2}");
    }
}
