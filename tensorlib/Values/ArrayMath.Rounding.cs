using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    public static NDArray Floor(NDArray a) => Floating<FloorKernel>(a);
    public static NDArray Trunc(NDArray a) => Floating<TruncKernel>(a);
    public static NDArray Deg2Rad(NDArray a) => Floating<Deg2RadKernel>(a);
    public static NDArray Rad2Deg(NDArray a) => Floating<Rad2DegKernel>(a);
    public static NDArray RoundHalfToEven(NDArray a) => Floating<RoundHalfToEvenKernel>(a);
    public static NDArray RoundHalfAwayFromZero(NDArray a) => Floating<RoundHalfAwayFromZeroKernel>(a);
    public static NDArray IsNan(NDArray a) => Classify<IsNanKernel>(a);
    public static NDArray IsInf(NDArray a) => Classify<IsInfKernel>(a);

    /// <summary>A bool property of floats; no integer (or bool) is NaN or infinite.</summary>
    private static NDArray Classify<TKernel>(NDArray a) where TKernel : IFloatKernel
    {
        var result = new NDArray(DType.Bool, a.shape);
        if (a.DType.IsFloat)
            DTypeSwitch.Float<FloatCall<TKernel>, bool>(a.DType, new FloatCall<TKernel>(a, result));
        return result;
    }

    private readonly struct FloorKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, FloorOp<T>>(a, r);
    }

    private readonly struct TruncKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, TruncOp<T>>(a, r);
    }

    private readonly struct Deg2RadKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Deg2RadOp<T>>(a, r);
    }

    private readonly struct Rad2DegKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Rad2DegOp<T>>(a, r);
    }

    private readonly struct IsNanKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, byte, IsNanOp<T>>(a, r);
    }

    private readonly struct IsInfKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, byte, IsInfOp<T>>(a, r);
    }

    private readonly struct RoundHalfToEvenKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, RoundHalfToEvenOp<T>>(a, r);
    }

    private readonly struct RoundHalfAwayFromZeroKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, RoundHalfAwayFromZeroOp<T>>(a, r);
    }
}
