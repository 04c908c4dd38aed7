namespace Theon.Tests.Values;

public class CoreTests
{
    [Fact]
    public void FromArrayRoundTripsEveryElementType()
    {
        var matrix = new[,] { { 1.0, 2 }, { 3, 4 } };
        Assert.Equal(matrix, (double[,])NDArray.FromArray(matrix).ToArray());
        Assert.Equal(new[] { true, false }, (bool[])NDArray.FromArray(new[] { true, false }).ToArray());
        Assert.Equal(new sbyte[] { -1, 2 }, (sbyte[])NDArray.FromArray(new sbyte[] { -1, 2 }).ToArray());
        Assert.Equal(new short[] { -1, 2 }, (short[])NDArray.FromArray(new short[] { -1, 2 }).ToArray());
        Assert.Equal(new byte[] { 255, 2 }, (byte[])NDArray.FromArray(new byte[] { 255, 2 }).ToArray());
        Assert.Equal(new float[,,] { { { 1f } }, { { 2f } } },
            (float[,,])NDArray.FromArray(new float[,,] { { { 1f } }, { { 2f } } }).ToArray());
        Assert.Equal(new long[] { long.MaxValue }, (long[])NDArray.FromArray(new[] { long.MaxValue }).ToArray());
        Assert.Equal(new[] { 7 }, (int[])NDArray.FromArray(new[] { 7 }).ToArray());
    }

    [Fact]
    public void ArithmeticBroadcastsAndPromotes()
    {
        NDArray a = new[,] { { 1.0, 2 }, { 3, 4 } };
        NDArray b = new[] { 10, 20 };
        var sum = a + b;
        Assert.Equal("float64", sum.dtype);
        Assert.Equal(new[,] { { 11.0, 22 }, { 13, 24 } }, (double[,])sum.ToArray());
        Assert.Equal("array([[11., 22.],\n       [13., 24.]])", sum.ToString());
    }

    [Fact]
    public void TransposedDot()
    {
        NDArray a = new[,] { { 1.0, 2, 3 }, { 4, 5, 6 } };
        var p = np.dot(a.T, a);
        Assert.Equal(new[,] { { 17.0, 22, 27 }, { 22, 29, 36 }, { 27, 36, 45 } }, (double[,])p.ToArray());
    }
}
