using System.Numerics;

namespace Theon.Values;

/// <summary>
/// Theon's numpy: the reference kernels every op's Perform calls. Inputs may have any strides and broadcast;
/// results are new C-contiguous arrays with numpy's result dtype.
/// </summary>
internal static partial class ArrayMath
{
    public static NDArray Add(NDArray a, NDArray b) => Arithmetic<AddKernel>(a, b, BoolArithmetic.Or);
    public static NDArray Subtract(NDArray a, NDArray b) => Arithmetic<SubtractKernel>(a, b, BoolArithmetic.Refuse);
    public static NDArray Multiply(NDArray a, NDArray b) => Arithmetic<MultiplyKernel>(a, b, BoolArithmetic.And);
    public static NDArray Maximum(NDArray a, NDArray b) => Arithmetic<MaximumKernel>(a, b, BoolArithmetic.Or);
    public static NDArray Minimum(NDArray a, NDArray b) => Arithmetic<MinimumKernel>(a, b, BoolArithmetic.And);
    public static NDArray Power(NDArray a, NDArray b) => Arithmetic<PowerKernel>(a, b, BoolArithmetic.ViaInt8);

    /// <summary>numpy.remainder (Python's %): the result has the sign of the divisor; x % 0 is 0 for ints.</summary>
    public static NDArray Remainder(NDArray a, NDArray b) => Arithmetic<RemainderKernel>(a, b, BoolArithmetic.ViaInt8);

    /// <summary>numpy.floor_divide (Python's //): the quotient rounded toward -inf; x // 0 is 0 for ints.</summary>
    public static NDArray FloorDivide(NDArray a, NDArray b) =>
        Arithmetic<FloorDivideKernel>(a, b, BoolArithmetic.ViaInt8);

    /// <summary>a / b in floating point: integers divide in <see cref="DType.ToFloat"/> of their common type.</summary>
    public static NDArray TrueDivide(NDArray a, NDArray b)
    {
        var dtype = DType.Upcast(a.DType, b.DType).ToFloat();
        return Apply<DivideKernel>(Conversion.To(a, dtype), Conversion.To(b, dtype), dtype);
    }

    public static NDArray Less(NDArray a, NDArray b) => Compare<LessKernel>(a, b);
    public static NDArray Greater(NDArray a, NDArray b) => Compare<GreaterKernel>(a, b);
    public static NDArray LessEqual(NDArray a, NDArray b) => Compare<LessEqualKernel>(a, b);
    public static NDArray GreaterEqual(NDArray a, NDArray b) => Compare<GreaterEqualKernel>(a, b);
    public static NDArray Equal(NDArray a, NDArray b) => Compare<EqualKernel>(a, b);
    public static NDArray NotEqual(NDArray a, NDArray b) => Compare<NotEqualKernel>(a, b);

    private enum BoolArithmetic { Or, And, Refuse, ViaInt8 }

    private static NDArray Arithmetic<TKernel>(NDArray a, NDArray b, BoolArithmetic onBool)
        where TKernel : IBinaryKernel
    {
        var dtype = DType.Upcast(a.DType, b.DType);
        if (!dtype.IsBool)
            return Apply<TKernel>(Conversion.To(a, dtype), Conversion.To(b, dtype), dtype);
        switch (onBool)
        {
            case BoolArithmetic.Refuse:
                throw new ArgumentException(
                    "numpy boolean subtract, the `-` operator, is not supported; use logical_xor or cast to int");
            case BoolArithmetic.ViaInt8:
                return Apply<TKernel>(Conversion.Cast(a, DType.Int8), Conversion.Cast(b, DType.Int8), DType.Int8);
            default:
                // On 0/1 bytes, max is logical or and min is logical and.
                return onBool == BoolArithmetic.Or
                    ? Apply<MaximumKernel>(a, b, DType.Bool)
                    : Apply<MinimumKernel>(a, b, DType.Bool);
        }
    }

    private static NDArray Apply<TKernel>(NDArray a, NDArray b, DType dtype) where TKernel : IBinaryKernel
    {
        var result = RowDrivers.Output(dtype, a, b);
        DTypeSwitch.Numeric<BinaryCall<TKernel>, bool>(dtype, new BinaryCall<TKernel>(a, b, result));
        return result;
    }

    private static NDArray Compare<TKernel>(NDArray a, NDArray b) where TKernel : IBinaryKernel
    {
        var dtype = DType.Upcast(a.DType, b.DType);
        a = Conversion.To(a, dtype);
        b = Conversion.To(b, dtype);
        var result = RowDrivers.Output(DType.Bool, a, b);
        DTypeSwitch.Numeric<BinaryCall<TKernel>, bool>(dtype, new BinaryCall<TKernel>(a, b, result));
        return result;
    }

    /// <summary>Binds one operator family (AddOp&lt;T&gt; for every T) to the elementwise driver.</summary>
    private interface IBinaryKernel
    {
        static abstract void Run<T>(NDArray a, NDArray b, NDArray result) where T : unmanaged, INumber<T>;
    }

    private readonly struct BinaryCall<TKernel>(NDArray a, NDArray b, NDArray result) : INumericFunc<bool>
        where TKernel : IBinaryKernel
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            TKernel.Run<T>(a, b, result);
            return true;
        }
    }

    private readonly struct AddKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, AddOp<T>>(a, b, r);
    }

    private readonly struct SubtractKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, SubtractOp<T>>(a, b, r);
    }

    private readonly struct MultiplyKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, MultiplyOp<T>>(a, b, r);
    }

    private readonly struct DivideKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T>
        {
            if (typeof(T) == typeof(double))
                RowDrivers.Binary<double, double, DivideOp<double>>(a, b, r);
            else if (typeof(T) == typeof(float))
                RowDrivers.Binary<float, float, DivideOp<float>>(a, b, r);
            else
                throw new ArgumentException($"true division runs on floats, got {a.DType}");
        }
    }

    private readonly struct MaximumKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, MaximumOp<T>>(a, b, r);
    }

    private readonly struct MinimumKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, MinimumOp<T>>(a, b, r);
    }

    private readonly struct PowerKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, PowerOp<T>>(a, b, r);
    }

    private readonly struct LessKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, LessOp<T>>(a, b, r);
    }

    private readonly struct GreaterKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, GreaterOp<T>>(a, b, r);
    }

    private readonly struct LessEqualKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, LessEqualOp<T>>(a, b, r);
    }

    private readonly struct GreaterEqualKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, GreaterEqualOp<T>>(a, b, r);
    }

    private readonly struct EqualKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, EqualOp<T>>(a, b, r);
    }

    private readonly struct NotEqualKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, byte, NotEqualOp<T>>(a, b, r);
    }

    private readonly struct RemainderKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, RemainderOp<T>>(a, b, r);
    }

    private readonly struct FloorDivideKernel : IBinaryKernel
    {
        public static void Run<T>(NDArray a, NDArray b, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Binary<T, T, FloorDivideOp<T>>(a, b, r);
    }
}
