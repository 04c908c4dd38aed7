namespace Theon.Backends.Cuda.Native;

/// <summary>
/// A failed CUDA driver, NVRTC or cuBLAS call, named by its error name (CUDA_ERROR_OUT_OF_MEMORY, ...).
/// </summary>
public sealed class CudaException(string library, string call, int code, string errorName, string? detail = null)
    : Exception($"{library} call {call} failed with {errorName} ({code}){(detail is null ? "" : $": {detail}")}.")
{
    public string Library { get; } = library;
    public string Call { get; } = call;
    public int Code { get; } = code;
    public string ErrorName { get; } = errorName;
}

/// <summary>CUDA was asked for, but one of its libraries could not be loaded.</summary>
public sealed class CudaUnavailableException(string message) : Exception(message);
