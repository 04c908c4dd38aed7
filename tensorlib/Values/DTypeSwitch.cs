using System.Numerics;

namespace Theon.Values;

/// <summary>A computation generic over a numeric storage type, chosen at run time from a dtype.</summary>
internal interface INumericFunc<out TResult>
{
    TResult Invoke<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A computation generic over a floating-point storage type.</summary>
internal interface IFloatFunc<out TResult>
{
    TResult Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Turns a dtype into a generic instantiation; bool is stored and computed as byte (0 or 1).</summary>
internal static class DTypeSwitch
{
    public static TResult Numeric<TFunc, TResult>(DType dtype, TFunc func) where TFunc : INumericFunc<TResult> =>
        dtype.Code switch
        {
            0 => func.Invoke<byte>(),
            1 => func.Invoke<sbyte>(),
            2 => func.Invoke<short>(),
            3 => func.Invoke<int>(),
            4 => func.Invoke<long>(),
            5 => func.Invoke<byte>(),
            6 => func.Invoke<float>(),
            _ => func.Invoke<double>(),
        };

    public static TResult Float<TFunc, TResult>(DType dtype, TFunc func) where TFunc : IFloatFunc<TResult>
    {
        if (dtype == DType.Float32)
            return func.Invoke<float>();
        if (dtype == DType.Float64)
            return func.Invoke<double>();
        throw new ArgumentException($"expected a float32 or float64 array, got {dtype}");
    }
}
