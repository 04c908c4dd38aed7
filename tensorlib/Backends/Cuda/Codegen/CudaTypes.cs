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

    /// <summary>A C expression of <paramref name="expression"/> converted to <paramref name="to"/>, numpy's way.</summary>
    public static string Convert(string expression, DType from, DType to) =>
        from == to ? expression
        : to.IsBool ? $"({expression} != 0)"
        : $"(({Of(to)})({expression}))";

    public static string Zero(DType dtype) => dtype.IsBool ? "false" : $"(({Of(dtype)})0)";
}
