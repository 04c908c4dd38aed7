using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    public static NDArray Negative(NDArray a)
    {
        if (a.DType.IsBool)
            throw new ArgumentException(
                "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or logical_not");
        return SameType<NegateKernel>(a);
    }

    public static NDArray Abs(NDArray a) => a.DType.IsBool ? a.Copy() : SameType<AbsKernel>(a);
    public static NDArray Square(NDArray a) => a.DType.IsBool ? a.Copy() : SameType<SquareKernel>(a);
    public static NDArray Exp(NDArray a) => Floating<ExpKernel>(a);
    public static NDArray Log(NDArray a) => Floating<LogKernel>(a);
    public static NDArray Log1p(NDArray a) => Floating<Log1pKernel>(a);
    public static NDArray Sqrt(NDArray a) => Floating<SqrtKernel>(a);
    public static NDArray Tanh(NDArray a) => Floating<TanhKernel>(a);
    public static NDArray Sigmoid(NDArray a) => Floating<SigmoidKernel>(a);
    public static NDArray Softplus(NDArray a) => Floating<SoftplusKernel>(a);

    public static NDArray Clip(NDArray a, NDArray lo, NDArray hi) => Minimum(Maximum(a, lo), hi);

    public static NDArray Cast(NDArray a, DType dtype) => Conversion.Cast(a, dtype);

    private static NDArray SameType<TKernel>(NDArray a) where TKernel : IUnaryKernel
    {
        var result = new NDArray(a.DType, a.shape);
        DTypeSwitch.Numeric<UnaryCall<TKernel>, bool>(a.DType, new UnaryCall<TKernel>(a, result));
        return result;
    }

    /// <summary>A float function: integers are computed in <see cref="DType.ToFloat"/> of their dtype.</summary>
    private static NDArray Floating<TKernel>(NDArray a) where TKernel : IFloatKernel
    {
        var dtype = a.DType.ToFloat();
        a = Conversion.To(a, dtype);
        var result = new NDArray(dtype, a.shape);
        DTypeSwitch.Float<FloatCall<TKernel>, bool>(dtype, new FloatCall<TKernel>(a, result));
        return result;
    }

    private interface IUnaryKernel
    {
        static abstract void Run<T>(NDArray a, NDArray result) where T : unmanaged, INumber<T>;
    }

    private interface IFloatKernel
    {
        static abstract void Run<T>(NDArray a, NDArray result) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct UnaryCall<TKernel>(NDArray a, NDArray result) : INumericFunc<bool>
        where TKernel : IUnaryKernel
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            TKernel.Run<T>(a, result);
            return true;
        }
    }

    private readonly struct FloatCall<TKernel>(NDArray a, NDArray result) : IFloatFunc<bool>
        where TKernel : IFloatKernel
    {
        public bool Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            TKernel.Run<T>(a, result);
            return true;
        }
    }

    private readonly struct NegateKernel : IUnaryKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Unary<T, T, NegateOp<T>>(a, r);
    }

    private readonly struct AbsKernel : IUnaryKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Unary<T, T, AbsOp<T>>(a, r);
    }

    private readonly struct SquareKernel : IUnaryKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, INumber<T> =>
            RowDrivers.Unary<T, T, SquareOp<T>>(a, r);
    }

    private readonly struct ExpKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, ExpOp<T>>(a, r);
    }

    private readonly struct LogKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, LogOp<T>>(a, r);
    }

    private readonly struct Log1pKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, Log1pOp<T>>(a, r);
    }

    private readonly struct SqrtKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, SqrtOp<T>>(a, r);
    }

    private readonly struct TanhKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, TanhOp<T>>(a, r);
    }

    private readonly struct SigmoidKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, SigmoidOp<T>>(a, r);
    }

    private readonly struct SoftplusKernel : IFloatKernel
    {
        public static void Run<T>(NDArray a, NDArray r) where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDrivers.Unary<T, T, SoftplusOp<T>>(a, r);
    }
}
