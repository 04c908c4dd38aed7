using System.Numerics;
using System.Numerics.Tensors;

namespace Theon.Values;

internal readonly struct NegateOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x) => -x;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

internal readonly struct AbsOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    // Wraps like numpy for the most negative integer instead of throwing.
    public static T Invoke(T x) => T.IsNegative(x) ? -x : x;
}

internal readonly struct SquareOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x) => x * x;
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, x, d);
}

internal readonly struct ExpOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Exp(x);
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

internal readonly struct LogOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Log(x);
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

internal readonly struct Log1pOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    // log(1 + x) loses x when |x| is tiny; the correction term (x - (u - 1)) / (u - 1) restores it.
    public static T Invoke(T x)
    {
        var u = T.One + x;
        if (u == T.One)
            return x;
        var log = T.Log(u);
        return T.IsInfinity(u) ? log : log * x / (u - T.One);
    }
}

internal readonly struct SqrtOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Sqrt(x);
    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

// Scalar on purpose: TensorPrimitives.Tanh loses relative accuracy near zero (1e-10 comes out 8e-8 off).
internal readonly struct TanhOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Tanh(x);
}

/// <summary>1 / (1 + exp(-x)), written per sign so that neither branch overflows.</summary>
internal readonly struct SigmoidOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x)
    {
        if (x >= T.Zero)
            return T.One / (T.One + T.Exp(-x));
        var e = T.Exp(x);
        return e / (T.One + e);
    }
}

/// <summary>log(1 + exp(x)) with the asymptotes used outside [-30, 30].</summary>
internal readonly struct SoftplusOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    private static readonly T Limit = T.CreateTruncating(30);

    public static T Invoke(T x)
    {
        if (x > Limit)
            return x;
        if (x < -Limit)
            return T.Exp(x);
        return Log1pOp<T>.Invoke(T.Exp(x));
    }
}
