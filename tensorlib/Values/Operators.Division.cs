using System.Numerics;

namespace Theon.Values;

/// <summary>
/// numpy.floor_divide: for floats numpy's npy_divmod ((x - fmod(x, y)) / y, corrected toward -inf and rounded), for
/// integers the truncated quotient less one where the signs differ and the division is inexact; x // 0 is 0 for ints
/// and x // -1 wraps (numpy's results).
/// </summary>
internal readonly struct FloorDivideOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y)
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
            return T.CreateTruncating(Floating(double.CreateTruncating(x), double.CreateTruncating(y)));
        if (T.IsZero(y))
            return T.Zero;
        if (T.IsNegative(y) && y == -T.One)
            return T.Zero - x;
        var q = x / y;
        return !T.IsZero(x % y) && T.IsNegative(x) != T.IsNegative(y) ? q - T.One : q;
    }

    private static double Floating(double x, double y)
    {
        if (y == 0)
            return x / y;
        var mod = x % y;
        var div = (x - mod) / y;
        if (mod != 0 && y < 0 != mod < 0)
            div -= 1;
        if (div == 0)
            return Math.CopySign(0, x / y);
        var floor = Math.Floor(div);
        return div - floor > 0.5 ? floor + 1 : floor;
    }
}
