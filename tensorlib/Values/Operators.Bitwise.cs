using System.Numerics;

namespace Theon.Values;

// Bit operations on any integer storage type through int64: truncating back is exact in two's complement, and bools
// (bytes 0 and 1) stay 0 or 1 under and, or and xor.

internal readonly struct BitAndOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.CreateTruncating(long.CreateTruncating(x) & long.CreateTruncating(y));
}

internal readonly struct BitOrOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.CreateTruncating(long.CreateTruncating(x) | long.CreateTruncating(y));
}

internal readonly struct BitXorOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.CreateTruncating(long.CreateTruncating(x) ^ long.CreateTruncating(y));
}

internal readonly struct InvertOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x) => T.CreateTruncating(~long.CreateTruncating(x));
}

/// <summary>numpy's invert on bools: logical not.</summary>
internal readonly struct NotOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x) => T.IsZero(x) ? T.One : T.Zero;
}
