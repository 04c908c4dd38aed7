namespace Theon.Tests.Values;

public class DTypeTests
{
    [Fact]
    public void UpcastIsNumpyPromoteTypesForEveryPair()
    {
        foreach (var row in Fixtures.Values.GetProperty("promotion").GetProperty("promote").EnumerateArray())
        {
            var (a, b, expected) = (row[0].GetString()!, row[1].GetString()!, row[2].GetString()!);
            Assert.True(expected == DType.Upcast(a, b).Name, $"Upcast({a}, {b}) should be {expected}");
        }
    }

    [Fact]
    public void CanCastSafelyIsNumpyCanCastForEveryPair()
    {
        foreach (var row in Fixtures.Values.GetProperty("promotion").GetProperty("can_cast").EnumerateArray())
        {
            var (a, b, expected) = (row[0].GetString()!, row[1].GetString()!, row[2].GetBoolean());
            Assert.True(expected == DType.CanCastSafely(a, b), $"CanCastSafely({a}, {b}) should be {expected}");
        }
    }

    [Theory]
    [InlineData("bool", "float32")]
    [InlineData("int8", "float32")]
    [InlineData("int16", "float32")]
    [InlineData("uint8", "float32")]
    [InlineData("int32", "float64")]
    [InlineData("int64", "float64")]
    [InlineData("float32", "float32")]
    [InlineData("float64", "float64")]
    public void ToFloatIsTheanoUpgradeToFloat(string from, string to) =>
        Assert.Equal(to, DType.Parse(from).ToFloat().Name);

    [Fact]
    public void PropertiesDescribeEachDtype()
    {
        Assert.Equal(typeof(sbyte), DType.Int8.ClrType);
        Assert.Equal(8, DType.Float64.ItemSize);
        Assert.True(DType.UInt8.IsInteger);
        Assert.False(DType.Bool.IsInteger);
        Assert.True(DType.Bool.IsBool);
        Assert.True(DType.Float32.IsFloat);
        Assert.Same(DType.Int16, DType.Of<short>());
        Assert.Same(DType.Float32, (DType)"float32");
        Assert.Equal("int32", DType.Int32.ToString());
    }

    [Fact]
    public void ParseRejectsUnknownNamesListingTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => DType.Parse("float128"));
        Assert.Contains("float128", e.Message);
        Assert.Contains("bool, int8, int16, int32, int64, uint8, float32, float64", e.Message);
        Assert.Throws<ArgumentException>(() => DType.Of<decimal>());
    }
}
