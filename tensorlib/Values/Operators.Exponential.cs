using System.Numerics;

namespace Theon.Values;

internal readonly struct Exp2Op<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Exp2(x);
}

/// <summary>exp(x) - 1, which loses x when |x| is tiny (as .NET's ExpM1 does); Kahan's (u - 1) x / log(u) with
/// u = exp(x) restores it.</summary>
internal readonly struct Expm1Op<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x)
    {
        var u = T.Exp(x);
        if (u == T.One)
            return x;
        var um1 = u - T.One;
        if (um1 == T.NegativeOne || T.IsInfinity(u))
            return um1;
        return um1 * x / T.Log(u);
    }
}

internal readonly struct Log2Op<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Log2(x);
}

internal readonly struct Log10Op<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Log10(x);
}

internal readonly struct ReciprocalOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.One / x;
}
