using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Native;

/// <summary>
/// The CUDA driver API (libcuda), bound by function pointer when first used. Every entry point returns CUresult;
/// <see cref="Check"/> turns a failure into a <see cref="CudaException"/> carrying cuGetErrorName's name.
/// </summary>
internal sealed unsafe class Driver
{
    private static readonly Lazy<Driver> Instance = new(()
        => new Driver(LibraryResolver.Default.Load(NativeLibrarySpec.Driver)));

    public static Driver Api => Instance.Value;

    public LoadedLibrary Library { get; }

    public readonly delegate* unmanaged<uint, int> cuInit;
    public readonly delegate* unmanaged<int*, int> cuDriverGetVersion;
    public readonly delegate* unmanaged<int*, int> cuDeviceGetCount;
    public readonly delegate* unmanaged<int*, int, int> cuDeviceGet;
    public readonly delegate* unmanaged<byte*, int, int, int> cuDeviceGetName;
    public readonly delegate* unmanaged<int*, int, int, int> cuDeviceGetAttribute;
    public readonly delegate* unmanaged<nuint*, int, int> cuDeviceTotalMem;
    public readonly delegate* unmanaged<nint*, int, int> cuDevicePrimaryCtxRetain;
    public readonly delegate* unmanaged<int, int> cuDevicePrimaryCtxRelease;
    public readonly delegate* unmanaged<nint, int> cuCtxSetCurrent;
    public readonly delegate* unmanaged<int> cuCtxSynchronize;
    public readonly delegate* unmanaged<ulong*, nuint, int> cuMemAlloc;
    public readonly delegate* unmanaged<ulong, int> cuMemFree;
    public readonly delegate* unmanaged<nint*, nuint, int> cuMemAllocHost;
    public readonly delegate* unmanaged<nint, int> cuMemFreeHost;
    public readonly delegate* unmanaged<ulong, void*, nuint, int> cuMemcpyHtoD;
    public readonly delegate* unmanaged<void*, ulong, nuint, int> cuMemcpyDtoH;
    public readonly delegate* unmanaged<ulong, ulong, nuint, int> cuMemcpyDtoD;
    public readonly delegate* unmanaged<ulong, void*, nuint, nint, int> cuMemcpyHtoDAsync;
    public readonly delegate* unmanaged<void*, ulong, nuint, nint, int> cuMemcpyDtoHAsync;
    public readonly delegate* unmanaged<ulong, ulong, nuint, nint, int> cuMemcpyDtoDAsync;
    public readonly delegate* unmanaged<ulong, byte, nuint, nint, int> cuMemsetD8Async;
    public readonly delegate* unmanaged<nuint*, nuint*, int> cuMemGetInfo;
    public readonly delegate* unmanaged<nint*, uint, int> cuStreamCreate;
    public readonly delegate* unmanaged<nint, int> cuStreamDestroy;
    public readonly delegate* unmanaged<nint, int> cuStreamSynchronize;
    public readonly delegate* unmanaged<nint*, uint, int> cuEventCreate;
    public readonly delegate* unmanaged<nint, nint, int> cuEventRecord;
    public readonly delegate* unmanaged<nint, int> cuEventSynchronize;
    public readonly delegate* unmanaged<float*, nint, nint, int> cuEventElapsedTime;
    public readonly delegate* unmanaged<nint, int> cuEventDestroy;
    public readonly delegate* unmanaged<nint*, void*, int> cuModuleLoadData;
    public readonly delegate* unmanaged<nint, int> cuModuleUnload;
    public readonly delegate* unmanaged<nint*, nint, byte*, int> cuModuleGetFunction;
    public readonly delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**,
        int> cuLaunchKernel;
    private readonly delegate* unmanaged<int, byte**, int> cuGetErrorName;

    // Stream capture into CUDA graphs (CUDA 11.4 and later); null where the driver lacks them.
    public readonly delegate* unmanaged<nint, int, int> cuStreamBeginCapture;
    public readonly delegate* unmanaged<nint, nint*, int> cuStreamEndCapture;
    public readonly delegate* unmanaged<nint*, nint, ulong, int> cuGraphInstantiateWithFlags;
    public readonly delegate* unmanaged<nint, nint, int> cuGraphLaunch;
    public readonly delegate* unmanaged<nint, int> cuGraphExecDestroy;
    public readonly delegate* unmanaged<nint, int> cuGraphDestroy;

    public bool HasGraphs => cuStreamBeginCapture != null && cuStreamEndCapture != null
        && cuGraphInstantiateWithFlags != null && cuGraphLaunch != null && cuGraphExecDestroy != null
        && cuGraphDestroy != null;

    private Driver(LoadedLibrary library)
    {
        Library = library;
        cuInit = (delegate* unmanaged<uint, int>)library.Export("cuInit");
        cuDriverGetVersion = (delegate* unmanaged<int*, int>)library.Export("cuDriverGetVersion");
        cuDeviceGetCount = (delegate* unmanaged<int*, int>)library.Export("cuDeviceGetCount");
        cuDeviceGet = (delegate* unmanaged<int*, int, int>)library.Export("cuDeviceGet");
        cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)library.Export("cuDeviceGetName");
        cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)library.Export("cuDeviceGetAttribute");
        cuDeviceTotalMem = (delegate* unmanaged<nuint*, int, int>)library.Export("cuDeviceTotalMem_v2");
        cuDevicePrimaryCtxRetain = (delegate* unmanaged<nint*, int, int>)library.Export("cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease = (delegate* unmanaged<int, int>)library.Export("cuDevicePrimaryCtxRelease_v2");
        cuCtxSetCurrent = (delegate* unmanaged<nint, int>)library.Export("cuCtxSetCurrent");
        cuCtxSynchronize = (delegate* unmanaged<int>)library.Export("cuCtxSynchronize");
        cuMemAlloc = (delegate* unmanaged<ulong*, nuint, int>)library.Export("cuMemAlloc_v2");
        cuMemFree = (delegate* unmanaged<ulong, int>)library.Export("cuMemFree_v2");
        cuMemAllocHost = (delegate* unmanaged<nint*, nuint, int>)library.Export("cuMemAllocHost_v2");
        cuMemFreeHost = (delegate* unmanaged<nint, int>)library.Export("cuMemFreeHost");
        cuMemcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)library.Export("cuMemcpyHtoD_v2");
        cuMemcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)library.Export("cuMemcpyDtoH_v2");
        cuMemcpyDtoD = (delegate* unmanaged<ulong, ulong, nuint, int>)library.Export("cuMemcpyDtoD_v2");
        cuMemcpyHtoDAsync = (delegate* unmanaged<ulong, void*, nuint, nint, int>)library.Export("cuMemcpyHtoDAsync_v2");
        cuMemcpyDtoHAsync = (delegate* unmanaged<void*, ulong, nuint, nint, int>)library.Export("cuMemcpyDtoHAsync_v2");
        cuMemcpyDtoDAsync = (delegate* unmanaged<ulong, ulong, nuint, nint, int>)library.Export("cuMemcpyDtoDAsync_v2");
        cuMemsetD8Async = (delegate* unmanaged<ulong, byte, nuint, nint, int>)library.Export("cuMemsetD8Async");
        cuMemGetInfo = (delegate* unmanaged<nuint*, nuint*, int>)library.Export("cuMemGetInfo_v2");
        cuStreamCreate = (delegate* unmanaged<nint*, uint, int>)library.Export("cuStreamCreate");
        cuStreamDestroy = (delegate* unmanaged<nint, int>)library.Export("cuStreamDestroy_v2");
        cuStreamSynchronize = (delegate* unmanaged<nint, int>)library.Export("cuStreamSynchronize");
        cuEventCreate = (delegate* unmanaged<nint*, uint, int>)library.Export("cuEventCreate");
        cuEventRecord = (delegate* unmanaged<nint, nint, int>)library.Export("cuEventRecord");
        cuEventSynchronize = (delegate* unmanaged<nint, int>)library.Export("cuEventSynchronize");
        cuEventElapsedTime = (delegate* unmanaged<float*, nint, nint, int>)library.Export("cuEventElapsedTime");
        cuEventDestroy = (delegate* unmanaged<nint, int>)library.Export("cuEventDestroy_v2");
        cuModuleLoadData = (delegate* unmanaged<nint*, void*, int>)library.Export("cuModuleLoadData");
        cuModuleUnload = (delegate* unmanaged<nint, int>)library.Export("cuModuleUnload");
        cuModuleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)library.Export("cuModuleGetFunction");
        cuLaunchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**,
            int>)
            library.Export("cuLaunchKernel");
        cuGetErrorName = (delegate* unmanaged<int, byte**, int>)library.Export("cuGetErrorName");
        cuStreamBeginCapture = (delegate* unmanaged<nint, int, int>)library.TryExport("cuStreamBeginCapture_v2");
        cuStreamEndCapture = (delegate* unmanaged<nint, nint*, int>)library.TryExport("cuStreamEndCapture");
        cuGraphInstantiateWithFlags = (delegate* unmanaged<nint*, nint, ulong, int>)
            library.TryExport("cuGraphInstantiateWithFlags");
        cuGraphLaunch = (delegate* unmanaged<nint, nint, int>)library.TryExport("cuGraphLaunch");
        cuGraphExecDestroy = (delegate* unmanaged<nint, int>)library.TryExport("cuGraphExecDestroy");
        cuGraphDestroy = (delegate* unmanaged<nint, int>)library.TryExport("cuGraphDestroy");
    }

    /// <summary>
    /// Throws a <see cref="CudaException"/> named by cuGetErrorName unless <paramref name="result"/> is CUDA_SUCCESS.
    /// </summary>
    public void Check(int result, string call)
    {
        if (result != 0) throw new CudaException("CUDA driver", call, result, ErrorName(result));
    }

    public string ErrorName(int result)
    {
        byte* name = null;
        return cuGetErrorName(result, &name) == 0 && name != null
            ? Marshal.PtrToStringUTF8((nint)name) ?? $"CUresult {result}"
            : $"unknown CUresult {result}";
    }
}

/// <summary>The device attributes Theon reads (CUdevice_attribute values).</summary>
public enum DeviceAttribute
{
    MultiprocessorCount = 16,
    MemoryClockRateKHz = 36,
    GlobalMemoryBusWidthBits = 37,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}
