using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    public static NDArray BitwiseAnd(NDArray a, NDArray b) => Bitwise<BitAndKernel>(a, b);
    public static NDArray BitwiseOr(NDArray a, NDArray b) => Bitwise<BitOrKernel>(a, b);
    public static NDArray BitwiseXor(NDArray a, NDArray b) => Bitwise<BitXorKernel>(a, b);

    /// <summary>numpy.invert: ~x on integers, logical not on bools.</summary>
    public static NDArray Invert(NDArray a)
    {
        Integral(a.DType);
        var result = RowDrivers.Output(a.DType, a);
        DTypeSwitch.Numeric<InvertCall, bool>(a.DType, new InvertCall(a, result, a.DType.IsBool));
        return result;
    }

    private static NDArray Bitwise<TKernel>(NDArray a, NDArray b) where TKernel : IBinaryKernel
    {
        var dtype = DType.Upcast(Integral(a.DType), Integral(b.DType));
        return Apply<TKernel>(Conversion.To(a, dtype), Conversion.To(b, dtype), dtype);
    }

    private static DType Integral(DType dtype) => dtype.IsFloat
        ? throw new ArgumentException($"bitwise operations take integer or bool arrays, got {dtype}")
        : dtype;

    private readonly struct InvertCall(NDArray a, NDArray result, bool logical) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            if (logical)
                RowDrivers.Unary<T, T, NotOp<T>>(a, result);
            else
                RowDrivers.Unary<T, T, InvertOp<T>>(a, result);
            return true;
        }
    }

    private readonly struct BitAndKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, BitAndOp<T>>(a, b, r);
    }

    private readonly struct BitOrKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, BitOrOp<T>>(a, b, r);
    }

    private readonly struct BitXorKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, BitXorOp<T>>(a, b, r);
    }
}
