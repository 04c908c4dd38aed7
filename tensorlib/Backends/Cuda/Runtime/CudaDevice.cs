using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Native;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// GPU 0 with its primary context, one stream, a cuBLAS handle and the modules loaded so far. Created on first use:
/// a process that never asks for CUDA never loads a CUDA library.
/// </summary>
public sealed unsafe class CudaDevice
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
            return h;
        });
    }

    public string Name { get; }
    public (int Major, int Minor) ComputeCapability { get; }
    public int Multiprocessors { get; }
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

    public void MakeCurrent() => api.Check(api.cuCtxSetCurrent(context), "cuCtxSetCurrent");

    public void Synchronize() => api.Check(api.cuStreamSynchronize(Stream), "cuStreamSynchronize");

    /// <summary>
    /// Device memory from a pool of freed blocks by size class (powers of two), so that a steady-state call makes no
    /// cuMemAlloc/cuMemFree (cuMemFree synchronizes the device). Reuse is safe because all work runs on one stream.
    /// </summary>
    public DeviceMemory Allocate(long bytes)
    {
        var capacity = SizeClass(bytes);
        lock (pool)
        {
            if (pool.TryGetValue(capacity, out var free) && free.Count > 0) return new DeviceMemory(this, free.Pop(),
                bytes, capacity);
        }
        MakeCurrent();
        ulong pointer;
        api.Check(api.cuMemAlloc(&pointer, (nuint)capacity), $"cuMemAlloc({capacity} bytes)");
        return new DeviceMemory(this, pointer, bytes, capacity);
    }

    private readonly Dictionary<long, Stack<ulong>> pool = [];

    private static long SizeClass(long bytes) => Math.Max(256,
        (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes));

    internal void Release(ulong pointer, long capacity)
    {
        lock (pool)
        {
            if (!pool.TryGetValue(capacity, out var free)) pool[capacity] = free = new Stack<ulong>();
            free.Push(pointer);
        }
    }

    /// <summary>Returns the pooled free blocks to the driver.</summary>
    public void TrimPool()
    {
        MakeCurrent();
        Synchronize();
        lock (pool)
        {
            foreach (var pointer in pool.Values.SelectMany(p => p)) api.Check(api.cuMemFree(pointer), "cuMemFree");
            pool.Clear();
        }
    }

    public void CopyToDevice(ulong destination, void* source, long bytes) =>
        api.Check(api.cuMemcpyHtoDAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyHtoDAsync");

    public void CopyToHost(void* destination, ulong source, long bytes) =>
        api.Check(api.cuMemcpyDtoHAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyDtoHAsync");

    public void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        api.Check(api.cuMemcpyDtoDAsync(destination, source, (nuint)bytes, Stream), "cuMemcpyDtoDAsync");

    public void Zero(ulong destination, long bytes) =>
        api.Check(api.cuMemsetD8Async(destination, 0, (nuint)bytes, Stream), "cuMemsetD8Async");

    /// <summary>
    /// The kernel <paramref name="name"/> of the CUDA C <paramref name="source"/>, compiled (or cached) and loaded
    /// once.
    /// </summary>
    public nint Function(string source, string name) => functions.GetOrAdd(KernelHash.Of(source) + ":" + name, _ =>
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
    });

    /// <summary>A 1-D launch sized for a grid-stride loop over <paramref name="work"/> items.</summary>
    public void Launch(nint function, long work, KernelArguments arguments, int block = 256)
    {
        var grid = (uint)Math.Clamp((work + block - 1) / block, 1, Multiprocessors * 32L);
        LaunchBlocks(function, grid, (uint)block, arguments);
    }

    public void LaunchBlocks(nint function, uint grid, uint block, KernelArguments arguments)
    {
        MakeCurrent();
        api.Check(api.cuLaunchKernel(function, grid, 1, 1, block, 1, 1, 0, Stream, arguments.Pointers, null),
            "cuLaunchKernel");
    }

    public PinnedBuffer AllocatePinned(long bytes)
    {
        MakeCurrent();
        nint pointer;
        api.Check(api.cuMemAllocHost(&pointer, (nuint)Math.Max(bytes, 1)), $"cuMemAllocHost({bytes} bytes)");
        return new PinnedBuffer(this, pointer, bytes);
    }

    internal void FreePinned(nint pointer) => api.Check(api.cuMemFreeHost(pointer), "cuMemFreeHost");

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

/// <summary>An allocation in device memory; returned to the device's pool once, by <see cref="Dispose"/>.</summary>
public sealed class DeviceMemory(CudaDevice device, ulong pointer, long bytes, long capacity) : IDisposable
{
    private bool disposed;

    public CudaDevice Device { get; } = device;
    public ulong Pointer => disposed ? throw new ObjectDisposedException(nameof(DeviceMemory)) : pointer;
    public long Bytes { get; } = bytes;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Device.Release(pointer, capacity);
    }
}

/// <summary>Page-locked host memory: copies from it to the device run at full PCIe speed and asynchronously.</summary>
public sealed unsafe class PinnedBuffer(CudaDevice device, nint pointer, long bytes) : IDisposable
{
    public nint Pointer { get; } = pointer;
    public long Bytes { get; } = bytes;

    public Span<byte> Span => new((void*)Pointer, checked((int)Bytes));

    public void Dispose() => device.FreePinned(Pointer);
}
