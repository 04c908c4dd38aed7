using static Theon.T;

namespace Theon.Tests.BadInput;

/// <summary>
/// The NaN check finds a NaN wherever it is: in the vector part or the scalar tail of the loop that checks the argument
/// while computing, and in each block of the separate pass used where no loop reads an argument whole.
/// </summary>
public class NaNPositionTests
{
    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void ANaNAtAnyPositionIsRefused(string dtype)
    {
        var x = tensor(dtype, [false], "x");
        var inLoop = function([x], x * 2);
        var inPass = function([x], x * 2, backend: "reference");
        Assert.Equal([x], CompiledFunction.Of(inLoop).ArgumentsCheckedWhileRunning);
        Assert.Empty(CompiledFunction.Of(inPass).ArgumentsCheckedWhileRunning);
        foreach (var f in new[] { inLoop, inPass })
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
