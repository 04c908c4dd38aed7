using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Native;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// GPU 0 with its primary context, one stream, a cuBLAS handle and the modules loaded so far. Created on first use:
/// a process that never asks for CUDA never loads a CUDA library.
/// </summary>
public sealed unsafe class CudaDevice : Device
{
    private static readonly Lazy<CudaDevice> Instance = new(() => new CudaDevice(0));

    private readonly Driver api = Driver.Api;
    private readonly int device;
    private readonly nint context;
    private readonly ConcurrentDictionary<string, nint> functions = new();
    private readonly Lazy<nint> cublas;

    public static CudaDevice Default => Instance.Value;

    /// <summary>The default device, or the reason there is none (no driver, no GPU).</summary>
    public static bool TryGetDefault(out CudaDevice? device, out string? reason)
    {
        try
        {
            device = Default;
            reason = null;
            return true;
        }
        catch (Exception e) when (e is CudaUnavailableException or CudaException)
        {
            (device, reason) = (null, e.Message);
            return false;
        }
    }

    private CudaDevice(int ordinal)
    {
        api.Check(api.cuInit(0), "cuInit");
        int count;
        api.Check(api.cuDeviceGetCount(&count), "cuDeviceGetCount");
        if (count <= ordinal) throw new CudaUnavailableException($"CUDA was asked for, but the driver sees {count} " +
            $"GPU(s).");
        int handle;
        api.Check(api.cuDeviceGet(&handle, ordinal), "cuDeviceGet");
        device = handle;
        nint ctx;
        api.Check(api.cuDevicePrimaryCtxRetain(&ctx, device), "cuDevicePrimaryCtxRetain");
        context = ctx;
        MakeCurrent();
        nint stream;
        api.Check(api.cuStreamCreate(&stream, 0), "cuStreamCreate");
        Stream = stream;
        var name = stackalloc byte[256];
        api.Check(api.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        Name = Marshal.PtrToStringUTF8((nint)name) ?? "unknown GPU";
        ComputeCapability = (Attribute(DeviceAttribute.ComputeCapabilityMajor),
            Attribute(DeviceAttribute.ComputeCapabilityMinor));
        Multiprocessors = Attribute(DeviceAttribute.MultiprocessorCount);
        cublas = new(() =>
        {
            var h = Cublas.Api.Create();
            Cublas.Api.SetStream(h, Stream);
            // A workspace of its own, so that cuBLAS allocates nothing inside a captured graph (32 MiB, as
            // recommended for Hopper); kept for the process.
            Cublas.Api.SetWorkspace(h, AllocateCore(CublasWorkspaceBytes), CublasWorkspaceBytes);
            return h;
        }, LazyThreadSafetyMode.PublicationOnly);
    }

    private const long CublasWorkspaceBytes = 32L << 20;

    public override string Name { get; }
    public (int Major, int Minor) ComputeCapability { get; }
    public override int Multiprocessors { get; }
    public nint Stream { get; }
    public nint CublasHandle => cublas.Value;

    /// <summary>Where each CUDA library was loaded from (loading NVRTC and cuBLAS if they were not yet).</summary>
    public string Libraries =>
        $"driver: {api.Library.Path}; NVRTC: {Nvrtc.Api.Library.Path}; cuBLAS: {Cublas.Api.Library.Path}";

    /// <summary>The virtual architecture NVRTC compiles for: compute_90 on an H100.</summary>
    public string Architecture => $"compute_{ComputeCapability.Major}{ComputeCapability.Minor}";

    /// <summary>Peak DRAM bandwidth from the memory clock and bus width (double data rate), in GB/s.</summary>
    public double TheoreticalBandwidthGBs =>
        2.0 * Attribute(DeviceAttribute.MemoryClockRateKHz) * 1e3
        * (Attribute(DeviceAttribute.GlobalMemoryBusWidthBits) / 8.0) / 1e9;

    public int Attribute(DeviceAttribute attribute)
    {
        int value;
        api.Check(api.cuDeviceGetAttribute(&value, (int)attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    public override void MakeCurrent() => api.Check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent");

    protected override void SynchronizeCore() => api.Check(api.cuStreamSynchronize(Stream), "cuStreamSynchronize");

    protected override ulong AllocateCore(long bytes)
    {
        MakeCurrent();
        ulong pointer;
        api.Check(api.cuMemAlloc(&pointer, (nuint)bytes), $"cuMemAlloc({bytes} bytes)");
        return pointer;
    }

    protected override void FreeCore(ulong pointer)
    {
        MakeCurrent();
        api.Check(api.cuMemFree(pointer), "cuMemFree");
    }

    protected override void CopyToDeviceCore(ulong destination, void* source, long bytes) =>
        api.Check(api.cuMemcpyHtoDAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyHtoDAsync");

    protected override void CopyToHostCore(void* destination, ulong source, long bytes) =>
        api.Check(api.cuMemcpyDtoHAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyDtoHAsync");

    public override void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        api.Check(api.cuMemcpyDtoDAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyDtoDAsync");

    public override void Zero(ulong destination, long bytes) =>
        api.Check(api.cuMemsetD8Async(destination, 0, (nuint)bytes, Stream), "cuMemsetD8Async");

    /// <summary>
    /// The kernel <paramref name="name"/> of the CUDA C <paramref name="source"/>, compiled (or cached) and loaded
    /// once.
    /// </summary>
    public override nint Kernel(string source, string name) =>
        functions.GetOrAdd(KernelHash.Of(source) + ":" + name, _ => Load(source, name));

    private nint Load(string source, string name)
    {
        MakeCurrent();
        var ptx = KernelCompiler.Default.Ptx(source, Architecture);
        var image = Marshal.StringToCoTaskMemUTF8(ptx);
        try
        {
            nint module;
            api.Check(api.cuModuleLoadData(&module, (void*)image), "cuModuleLoadData");
            using var utf8 = new Utf8Strings([name]);
            nint function;
            api.Check(api.cuModuleGetFunction(&function, module, utf8[0]), $"cuModuleGetFunction({name})");
            return function;
        }
        finally
        {
            Marshal.FreeCoTaskMem(image);
        }
    }

    protected override void LaunchCore(nint kernel, uint grid, uint block, KernelArguments arguments)
    {
        MakeCurrent();
        api.Check(api.cuLaunchKernel(kernel, grid, 1, 1, block, 1, 1, 0, Stream, arguments.Pointers, null),
            "cuLaunchKernel");
    }

    // cuBLAS is column-major: a row-major matrix is its transpose there, so C^T = op(B)^T · op(A)^T is asked for.
    protected override void GemmCore(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda,
        ulong b, int ldb, ulong c)
    {
        var (blas, handle) = (Cublas.Api, CublasHandle);
        var (opB, opA) = (transB ? Cublas.Transpose : Cublas.NoTranspose, transA ? Cublas.Transpose
            : Cublas.NoTranspose);
        MakeCurrent();
        if (dtype == DType.Float32)
        {
            float one = 1, zero = 0;
            Cublas.Check(blas.cublasSgemm(handle, opB, opA, n, m, k, &one, b, ldb, a, lda, &zero, c, n),
                "cublasSgemm");
        }
        else
        {
            double one = 1, zero = 0;
            Cublas.Check(blas.cublasDgemm(handle, opB, opA, n, m, k, &one, b, ldb, a, lda, &zero, c, n),
                "cublasDgemm");
        }
    }

    protected override void GemmStridedBatchedCore(DType dtype, bool transA, bool transB, int m, int n, int k,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, ulong c, int ldc, long strideC, int batch,
        bool accumulate)
    {
        var (blas, handle) = (Cublas.Api, CublasHandle);
        var (opB, opA) = (transB ? Cublas.Transpose : Cublas.NoTranspose, transA ? Cublas.Transpose
            : Cublas.NoTranspose);
        MakeCurrent();
        if (dtype == DType.Float32)
        {
            float one = 1, beta = accumulate ? 1 : 0;
            Cublas.Check(blas.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, &one, b, ldb, strideB, a, lda,
                strideA, &beta, c, ldc, strideC, batch), "cublasSgemmStridedBatched");
        }
        else
        {
            double one = 1, beta = accumulate ? 1 : 0;
            Cublas.Check(blas.cublasDgemmStridedBatched(handle, opB, opA, n, m, k, &one, b, ldb, strideB, a, lda,
                strideA, &beta, c, ldc, strideC, batch), "cublasDgemmStridedBatched");
        }
    }

    public override bool HasGraphs => api.HasGraphs;

    // Thread-local mode: only this thread's calls that a capture cannot record are refused.
    protected override void BeginCaptureCore()
    {
        MakeCurrent();
        api.Check(api.cuStreamBeginCapture(Stream, 1), "cuStreamBeginCapture");
    }

    protected override DeviceGraph EndCaptureCore()
    {
        nint graph, executable;
        api.Check(api.cuStreamEndCapture(Stream, &graph), "cuStreamEndCapture");
        try
        {
            api.Check(api.cuGraphInstantiateWithFlags(&executable, graph, 0), "cuGraphInstantiateWithFlags");
        }
        finally
        {
            api.cuGraphDestroy(graph);
        }
        return new CudaGraph(api, executable);
    }

    protected override void ReplayCore(DeviceGraph graph) =>
        api.Check(api.cuGraphLaunch(((CudaGraph)graph).Executable, Stream), "cuGraphLaunch");

    private sealed class CudaGraph(Driver api, nint executable) : DeviceGraph
    {
        public nint Executable => executable;

        public override void Dispose() => api.cuGraphExecDestroy(executable);
    }

    protected override nint AllocatePinnedCore(long bytes)
    {
        MakeCurrent();
        nint pointer;
        api.Check(api.cuMemAllocHost(&pointer, (nuint)bytes), $"cuMemAllocHost({bytes} bytes)");
        return pointer;
    }

    protected override void FreePinnedCore(nint pointer) => api.Check(api.cuMemFreeHost(pointer),
        "cuMemFreeHost");

    /// <summary>Milliseconds taken on the stream by <paramref name="work"/>, measured with CUDA events.</summary>
    public double TimeMilliseconds(Action work)
    {
        nint start, stop;
        api.Check(api.cuEventCreate(&start, 0), "cuEventCreate");
        api.Check(api.cuEventCreate(&stop, 0), "cuEventCreate");
        try
        {
            api.Check(api.cuEventRecord(start, Stream), "cuEventRecord");
            work();
            api.Check(api.cuEventRecord(stop, Stream), "cuEventRecord");
            api.Check(api.cuEventSynchronize(stop), "cuEventSynchronize");
            float ms;
            api.Check(api.cuEventElapsedTime(&ms, start, stop), "cuEventElapsedTime");
            return ms;
        }
        finally
        {
            api.cuEventDestroy(start);
            api.cuEventDestroy(stop);
        }
    }
}

