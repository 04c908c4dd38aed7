using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    public static NDArray Sin(NDArray a) => Floating<SinKernel>(a);
    public static NDArray Cos(NDArray a) => Floating<CosKernel>(a);
    public static NDArray Tan(NDArray a) => Floating<TanKernel>(a);
    public static NDArray Arcsin(NDArray a) => Floating<ArcsinKernel>(a);
    public static NDArray Arccos(NDArray a) => Floating<ArccosKernel>(a);
    public static NDArray Arctan(NDArray a) => Floating<ArctanKernel>(a);
    public static NDArray Sinh(NDArray a) => Floating<SinhKernel>(a);
    public static NDArray Cosh(NDArray a) => Floating<CoshKernel>(a);
    public static NDArray Arcsinh(NDArray a) => Floating<ArcsinhKernel>(a);
    public static NDArray Arccosh(NDArray a) => Floating<ArccoshKernel>(a);
    public static NDArray Arctanh(NDArray a) => Floating<ArctanhKernel>(a);

    /// <summary>numpy.arctan2(y, x): both operands in <see cref="DType.ToFloat"/> of their common type.</summary>
    public static NDArray Arctan2(NDArray y, NDArray x)
    {
        var dtype = DType.Upcast(y.DType, x.DType).ToFloat();
        (y, x) = (Conversion.To(y, dtype), Conversion.To(x, dtype));
        var result = RowDrivers.Output(dtype, y, x);
        if (dtype == DType.Float64)
            RowDrivers.Binary<double, double, Arctan2Op<double>>(y, x, result);
        else if (dtype == DType.Float32)
            RowDrivers.Binary<float, float, Arctan2Op<float>>(y, x, result);
        else
            throw new ArgumentException($"arctan2 runs on float32 and float64, got {dtype}");
        return result;
    }

    private readonly struct SinKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, SinOp<T>>(a, r);
    }

    private readonly struct CosKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, CosOp<T>>(a, r);
    }

    private readonly struct TanKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, TanOp<T>>(a, r);
    }

    private readonly struct ArcsinKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArcsinOp<T>>(a, r);
    }

    private readonly struct ArccosKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArccosOp<T>>(a, r);
    }

    private readonly struct ArctanKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArctanOp<T>>(a, r);
    }

    private readonly struct SinhKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, SinhOp<T>>(a, r);
    }

    private readonly struct CoshKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, CoshOp<T>>(a, r);
    }

    private readonly struct ArcsinhKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArcsinhOp<T>>(a, r);
    }

    private readonly struct ArccoshKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArccoshOp<T>>(a, r);
    }

    private readonly struct ArctanhKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ArctanhOp<T>>(a, r);
    }
}
