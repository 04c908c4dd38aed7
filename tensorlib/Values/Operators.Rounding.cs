using System.Numerics;

namespace Theon.Values;

internal readonly struct FloorOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Floor(x);
}

internal readonly struct RoundHalfToEvenOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Round(x, MidpointRounding.ToEven);
}

internal readonly struct RoundHalfAwayFromZeroOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Round(x, MidpointRounding.AwayFromZero);
}

internal readonly struct TruncOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x) => T.Truncate(x);
}

/// <summary>numpy's deg2rad: x * (pi / 180), the factor rounded to T once.</summary>
internal readonly struct Deg2RadOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public const double Factor = Math.PI / 180;
    private static readonly T Scale = T.CreateTruncating(Factor);

    public static T Invoke(T x) => x * Scale;
}

/// <summary>numpy's rad2deg: x * (180 / pi), the factor rounded to T once.</summary>
internal readonly struct Rad2DegOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public const double Factor = 180 / Math.PI;
    private static readonly T Scale = T.CreateTruncating(Factor);

    public static T Invoke(T x) => x * Scale;
}

internal readonly struct IsNanOp<T> : IUnaryOp<T, byte> where T : IFloatingPointIeee754<T>
{
    public static byte Invoke(T x) => T.IsNaN(x) ? (byte)1 : (byte)0;
}

internal readonly struct IsInfOp<T> : IUnaryOp<T, byte> where T : IFloatingPointIeee754<T>
{
    public static byte Invoke(T x) => T.IsInfinity(x) ? (byte)1 : (byte)0;
}
