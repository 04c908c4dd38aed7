using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Native;

/// <summary>cuBLAS (column-major BLAS on the device): handles, streams, GEMM and strided batched GEMM.</summary>
internal sealed unsafe class Cublas
{
    private static readonly Lazy<Cublas> Instance = new(()
        => new Cublas(LibraryResolver.Default.Load(NativeLibrarySpec.Cublas)));

    public static Cublas Api => Instance.Value;

    public const int NoTranspose = 0, Transpose = 1;

    public LoadedLibrary Library { get; }

    private readonly delegate* unmanaged<nint*, int> cublasCreate;
    private readonly delegate* unmanaged<nint, int> cublasDestroy;
    private readonly delegate* unmanaged<nint, nint, int> cublasSetStream;
    private readonly delegate* unmanaged<nint, ulong, nuint, int> cublasSetWorkspace;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong,
        int, int> cublasSgemm;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, ulong, int, double*, ulong,
        int, int> cublasDgemm;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, long, ulong, int, long,
        float*, ulong, int, long, int, int>
        cublasSgemmStridedBatched;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, long, ulong, int, long,
        double*, ulong, int, long, int, int>
        cublasDgemmStridedBatched;

    private Cublas(LoadedLibrary library)
    {
        Library = library;
        cublasCreate = (delegate* unmanaged<nint*, int>)library.Export("cublasCreate_v2");
        cublasDestroy = (delegate* unmanaged<nint, int>)library.Export("cublasDestroy_v2");
        cublasSetStream = (delegate* unmanaged<nint, nint, int>)library.Export("cublasSetStream_v2");
        cublasSetWorkspace = (delegate* unmanaged<nint, ulong, nuint, int>)library.TryExport("cublasSetWorkspace_v2");
        cublasSgemm = (delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, ulong, int, float*,
            ulong, int, int>)
            library.Export("cublasSgemm_v2");
        cublasDgemm = (delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, ulong, int, double*,
            ulong, int, int>)
            library.Export("cublasDgemm_v2");
        cublasSgemmStridedBatched = (delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, long,
            ulong, int, long,
            float*, ulong, int, long, int, int>)library.Export("cublasSgemmStridedBatched");
        cublasDgemmStridedBatched = (delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, long,
            ulong, int, long,
            double*, ulong, int, long, int, int>)library.Export("cublasDgemmStridedBatched");
    }

    public nint Create()
    {
        nint handle;
        Check(cublasCreate(&handle), "cublasCreate");
        return handle;
    }

    public void Destroy(nint handle) => Check(cublasDestroy(handle), "cublasDestroy");

    public void SetStream(nint handle, nint stream) => Check(cublasSetStream(handle, stream), "cublasSetStream");

    /// <summary>
    /// Gives cuBLAS its workspace, so that it allocates none inside a captured CUDA graph (where an allocation would
    /// be baked in); false where this cuBLAS lacks the call.
    /// </summary>
    public bool SetWorkspace(nint handle, ulong pointer, long bytes)
    {
        if (cublasSetWorkspace == null) return false;
        Check(cublasSetWorkspace(handle, pointer, (nuint)bytes), "cublasSetWorkspace");
        return true;
    }

    public static void Check(int status, string call)
    {
        if (status != 0) throw new CudaException("cuBLAS", call, status, StatusName(status));
    }

    /// <summary>cublasStatus_t names, as cublasGetStatusName gives them (which older cuBLAS lacks).</summary>
    public static string StatusName(int status) => status switch
    {
        0 => "CUBLAS_STATUS_SUCCESS",
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => $"cublasStatus_t {status}",
    };
}
