namespace Theon.Backends.Cuda.Codegen;

/// <summary>The CUDA C type of each dtype, and literals in it.</summary>
public static class CudaTypes
{
    public static string Of(DType dtype) => dtype.Name switch
    {
        "bool" => "bool",
        "int8" => "signed char",
        "int16" => "short",
        "int32" => "int",
        "int64" => "long long",
        "uint8" => "unsigned char",
        "float32" => "float",
        "float64" => "double",
        _ => throw new ArgumentException($"CUDA has no type for dtype {dtype}."),
    };

    /// <summary>
    /// A C expression of <paramref name="expression"/> converted to <paramref name="to"/>, numpy's way.
    /// </summary>
    public static string Convert(string expression, DType from, DType to) =>
        from == to ? expression
        : to.IsBool ? $"({expression} != 0)"
        : $"(({Of(to)})({expression}))";

    /// <summary>
    /// A C literal of a scalar array's value, exact (round-trip digits; NaN and infinities by bit pattern).
    /// </summary>
    public static string Literal(NDArray scalar)
    {
        var dtype = scalar.DType;
        var value = scalar.ToFlatArray<double>()[0];
        if (dtype.IsBool) return value != 0 ? "true" : "false";
        if (!dtype.IsFloat) return $"(({Of(dtype)}){(long)value}ll)";
        if (dtype == DType.Float32)
            return $"__int_as_float(0x{BitConverter.SingleToInt32Bits((float)value):x8})";
        return $"__longlong_as_double(0x{BitConverter.DoubleToInt64Bits(value):x16}ll)";
    }

    public static string Zero(DType dtype) => dtype.IsBool ? "false" : $"(({Of(dtype)})0)";
}
