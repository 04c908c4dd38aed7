using System.Numerics;
using System.Numerics.Tensors;

namespace Theon.Values;

internal readonly struct AddOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => x + y;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubtractOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => x - y;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MultiplyOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => x * y;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
}

/// <summary>Division for floats only: true division converts integers first.</summary>
internal readonly struct DivideOp<T> : IBinaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x / y;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
}

/// <summary>NaN-propagating maximum, as numpy.maximum.</summary>
internal readonly struct MaximumOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.IsNaN(x) || T.IsNaN(y) ? (T.IsNaN(x) ? x : y) : (x >= y ? x : y);
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

internal readonly struct MinimumOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.IsNaN(x) || T.IsNaN(y) ? (T.IsNaN(x) ? x : y) : (x <= y ? x : y);
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(y, x, d);
}

/// <summary>x ** y: floating pow, or exact integer power by squaring (negative exponents are an error).</summary>
internal readonly struct PowerOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y)
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
            return T.CreateTruncating(Math.Pow(double.CreateTruncating(x), double.CreateTruncating(y)));
        if (T.IsNegative(y))
            throw new ArgumentException("Integers to negative integer powers are not allowed.");
        var result = T.One;
        var power = x;
        for (var e = ulong.CreateTruncating(y); e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
                result *= power;
            power *= power;
        }
        return result;
    }
}

internal readonly struct RemainderOp<T> : IBinaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y)
    {
        if (T.IsZero(y))
            return typeof(T) == typeof(double) || typeof(T) == typeof(float) ? T.CreateTruncating(double.NaN) : T.Zero;
        var r = x % y;
        return !T.IsZero(r) && T.IsNegative(r) != T.IsNegative(y) ? r + y : r;
    }
}

internal readonly struct LessOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x < y ? (byte)1 : (byte)0;
}

internal readonly struct LessEqualOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x <= y ? (byte)1 : (byte)0;
}

internal readonly struct GreaterOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x > y ? (byte)1 : (byte)0;
}

internal readonly struct GreaterEqualOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x >= y ? (byte)1 : (byte)0;
}

internal readonly struct EqualOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x == y ? (byte)1 : (byte)0;
}

internal readonly struct NotEqualOp<T> : IBinaryOp<T, byte> where T : INumber<T>
{
    public static byte Invoke(T x, T y) => x != y ? (byte)1 : (byte)0;
}
