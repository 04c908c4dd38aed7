using static Theon.T;

namespace Theon.Tests.BadInput;

/// <summary>The vectorized NaN check finds a NaN wherever it is: in an unrolled block, a single vector or the tail.</summary>
public class NaNPositionTests
{
    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void ANaNAtAnyPositionIsRefused(string dtype)
    {
        var x = tensor(dtype, [false], "x");
        var f = function([x], x * 2);
        foreach (var length in new[] { 1, 3, 4, 7, 8, 9, 31, 32, 33, 70 })
        {
            f(np.ones(length).astype(dtype));
            for (var at = 0; at < length; at++)
            {
                var value = np.ones(length).astype(dtype);
                value.SetItem(double.NaN, at);
                var error = Assert.Throws<ArgumentException>(() => f(value));
                Assert.Contains("NaN", error.Message);
            }
        }
    }
}
