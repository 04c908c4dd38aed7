using System.Numerics;

namespace Theon.Values;

internal readonly struct SinOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Sin(x);
}

internal readonly struct CosOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Cos(x);
}

internal readonly struct TanOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Tan(x);
}

internal readonly struct ArcsinOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Asin(x);
}

internal readonly struct ArccosOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Acos(x);
}

internal readonly struct ArctanOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Atan(x);
}

internal readonly struct SinhOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Sinh(x);
}

internal readonly struct CoshOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Cosh(x);
}

internal readonly struct ArcsinhOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Asinh(x);
}

internal readonly struct ArccoshOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Acosh(x);
}

internal readonly struct ArctanhOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Atanh(x);
}

internal readonly struct Arctan2Op<T> : IBinaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T y, T x) => T.Atan2(y, x);
}
