using System.Numerics;
using System.Numerics.Tensors;

namespace Theon.Values;

internal readonly struct ConvertOp<TFrom, TTo> : IUnaryOp<TFrom, TTo>
    where TFrom : INumberBase<TFrom> where TTo : INumberBase<TTo>
{
    public static TTo Invoke(TFrom x) => TTo.CreateTruncating(x);

    public static bool Vectorizable => true;
    public static void Invoke(ReadOnlySpan<TFrom> x, Span<TTo> destination) =>
        TensorPrimitives.ConvertTruncating(x, destination);
}

/// <summary>Any number to bool storage: nonzero (NaN included) is true.</summary>
internal readonly struct ToBoolOp<T> : IUnaryOp<T, byte> where T : INumberBase<T>
{
    public static byte Invoke(T x) => T.IsZero(x) ? (byte)0 : (byte)1;
}

/// <summary>Numeric conversion between dtypes, numpy's astype with casting='unsafe'.</summary>
internal static class Conversion
{
    /// <summary>
    /// A new contiguous array of <paramref name="dtype"/> holding the elements of <paramref name="source"/>.
    /// </summary>
    public static NDArray Cast(NDArray source, DType dtype)
    {
        var destination = new NDArray(dtype, source.shape);
        Into(source, destination);
        return destination;
    }

    /// <summary>
    /// Writes <paramref name="source"/>, broadcast and converted, into the view <paramref name="destination"/>.
    /// </summary>
    public static void Into(NDArray source, NDArray destination) =>
        DTypeSwitch.Numeric<FromSource, bool>(source.DType, new FromSource(source, destination));

    /// <summary>
    /// <paramref name="array"/> itself when it already has <paramref name="dtype"/>, else a converted copy.
    /// </summary>
    public static NDArray To(NDArray array, DType dtype) => array.DType == dtype ? array : Cast(array, dtype);

    private readonly struct FromSource(NDArray source, NDArray destination) : INumericFunc<bool>
    {
        public bool Invoke<TFrom>() where TFrom : unmanaged, INumber<TFrom> =>
            DTypeSwitch.Numeric<ToDestination<TFrom>, bool>(
                destination.DType, new ToDestination<TFrom>(source, destination));
    }

    private readonly struct ToDestination<TFrom>(NDArray source, NDArray destination) : INumericFunc<bool>
        where TFrom : unmanaged, INumber<TFrom>
    {
        public bool Invoke<TTo>() where TTo : unmanaged, INumber<TTo>
        {
            if (destination.DType.IsBool && !source.DType.IsBool)
                RowDrivers.Unary<TFrom, byte, ToBoolOp<TFrom>>(source, destination);
            else
                RowDrivers.Unary<TFrom, TTo, ConvertOp<TFrom, TTo>>(source, destination);
            return true;
        }
    }
}
