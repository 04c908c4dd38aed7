using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    public static NDArray Exp2(NDArray a) => Floating<Exp2Kernel>(a);
    public static NDArray Expm1(NDArray a) => Floating<Expm1Kernel>(a);
    public static NDArray Log2(NDArray a) => Floating<Log2Kernel>(a);
    public static NDArray Log10(NDArray a) => Floating<Log10Kernel>(a);
    public static NDArray Reciprocal(NDArray a) => Floating<ReciprocalKernel>(a);

    private readonly struct Exp2Kernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Exp2Op<T>>(a, r);
    }

    private readonly struct Expm1Kernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Expm1Op<T>>(a, r);
    }

    private readonly struct Log2Kernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Log2Op<T>>(a, r);
    }

    private readonly struct Log10Kernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Log10Op<T>>(a, r);
    }

    private readonly struct ReciprocalKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ReciprocalOp<T>>(a, r);
    }
}
