using System.Numerics;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// What the CUDA backend needs of a GPU: memory, copies, kernel launches, GEMM, graph capture and a stream to wait on.
/// A real GPU is <see cref="CudaDevice"/>; <see cref="Emulation.EmulatedDevice"/> runs the same runtime on the CPU,
/// executing the generated kernels there. This class keeps what both share: the memory pool, the refusals while a
/// graph is captured, and the counters that tests assert on. All work is ordered on one stream.
/// </summary>
public abstract unsafe class Device
{
    private readonly Dictionary<long, Stack<ulong>> pool = [];
    private DeviceCounts counts;

    [ThreadStatic]
    private static DeviceArena? arena;

    public abstract string Name { get; }

    /// <summary>How many blocks run at once, for sizing grids.</summary>
    public abstract int Multiprocessors { get; }

    /// <summary>What the device has done since it was opened.</summary>
    public DeviceCounts Counts => counts;

    /// <summary>
    /// Device memory from a pool of freed blocks by size class (powers of two), so that a steady-state call makes no
    /// driver allocation (cuMemFree synchronizes the device). Reuse is safe because all work runs on one stream.
    /// </summary>
    public DeviceMemory Allocate(long bytes)
    {
        RefuseWhileCapturing("allocate device memory", transient: true);
        var capacity = SizeClass(bytes);
        lock (pool)
        {
            if (pool.TryGetValue(capacity, out var free) && free.Count > 0)
                return new DeviceMemory(this, free.Pop(), bytes, capacity);
        }
        counts = counts with { Allocations = counts.Allocations + 1 };
        return new DeviceMemory(this, AllocateCore(capacity), bytes, capacity);
    }

    /// <summary>
    /// Memory for a temporary of the running call: from the arena of the function calling on this thread (see
    /// <see cref="Using"/>), else from the pool.
    /// </summary>
    public DeviceMemory AllocateTemporary(long bytes) =>
        arena is { } active && active.Device == this ? active.Take(bytes) : Allocate(bytes);

    /// <summary>Makes <paramref name="calls"/> the source of temporaries on this thread until the scope ends.</summary>
    public static ArenaScope Using(DeviceArena calls)
    {
        var previous = arena;
        arena = calls;
        return new ArenaScope(previous);
    }

    public readonly struct ArenaScope(DeviceArena? previous) : IDisposable
    {
        public void Dispose() => arena = previous;
    }

    private static long SizeClass(long bytes) => Math.Max(256, (long)BitOperations.RoundUpToPowerOf2((ulong)bytes));

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
        Synchronize();
        lock (pool)
        {
            foreach (var pointer in pool.Values.SelectMany(p => p)) FreeCore(pointer);
            pool.Clear();
        }
    }

    public void CopyToDevice(ulong destination, void* source, long bytes)
    {
        RefuseWhileCapturing("copy to the device", transient: true);
        counts = counts with { BytesToDevice = counts.BytesToDevice + bytes };
        CopyToDeviceCore(destination, source, bytes);
    }

    public void CopyToHost(void* destination, ulong source, long bytes)
    {
        RefuseWhileCapturing("copy to the host");
        counts = counts with { BytesToHost = counts.BytesToHost + bytes };
        CopyToHostCore(destination, source, bytes);
    }

    public abstract void CopyOnDevice(ulong destination, ulong source, long bytes);

    public abstract void Zero(ulong destination, long bytes);

    /// <summary>Waits until every copy and kernel issued so far has finished.</summary>
    public void Synchronize()
    {
        RefuseWhileCapturing("wait for the stream");
        counts = counts with { Synchronizations = counts.Synchronizations + 1 };
        SynchronizeCore();
    }

    /// <summary>Whether this device records work into CUDA graphs (a driver from CUDA 11.4 on; the
    /// emulation).</summary>
    public abstract bool HasGraphs { get; }

    /// <summary>True between <see cref="BeginCapture"/> and <see cref="EndCapture"/>: work is recorded, not
    /// run.</summary>
    public bool Capturing { get; private set; }

    /// <summary>
    /// Starts recording the work issued on the stream into a graph instead of running it. Allocations, host copies
    /// and waits are refused meanwhile (<see cref="CaptureRefusedException"/>): a graph replays fixed addresses and
    /// device work only.
    /// </summary>
    public void BeginCapture()
    {
        BeginCaptureCore();
        Capturing = true;
    }

    /// <summary>Ends the recording; null when <paramref name="keep"/> is false (a capture abandoned).</summary>
    public DeviceGraph? EndCapture(bool keep = true)
    {
        Capturing = false;
        var graph = EndCaptureCore();
        if (keep) return graph;
        graph.Dispose();
        return null;
    }

    /// <summary>Runs a recorded graph on the stream: one launch for all its work.</summary>
    public void Replay(DeviceGraph graph)
    {
        counts = counts with { Replays = counts.Replays + 1 };
        ReplayCore(graph);
    }

    private void RefuseWhileCapturing(string what, bool transient = false)
    {
        if (Capturing)
            throw new CaptureRefusedException($"cannot {what} while a CUDA graph is being captured.", transient);
    }

    /// <summary>The kernel <paramref name="name"/> of the CUDA C <paramref name="source"/>, compiled and loaded
    /// once.</summary>
    public abstract nint Kernel(string source, string name);

    /// <summary>A 1-D launch sized for a grid-stride loop over <paramref name="work"/> items.</summary>
    public void Launch(nint kernel, long work, KernelArguments arguments, int block = 256)
    {
        var grid = (uint)Math.Clamp((work + block - 1) / block, 1, Multiprocessors * 32L);
        LaunchBlocks(kernel, grid, (uint)block, arguments);
    }

    public void LaunchBlocks(nint kernel, uint grid, uint block, KernelArguments arguments)
    {
        counts = counts with { Launches = counts.Launches + 1 };
        LaunchCore(kernel, grid, block, arguments);
    }

    /// <summary>
    /// Row-major <c>C[m, n] = op(A) · op(B)</c>, float32 or float64; <paramref name="lda"/> and
    /// <paramref name="ldb"/> are the row lengths of A and B as stored, so a transposed operand is a flag, not a copy.
    /// </summary>
    public void Gemm(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda, ulong b, int ldb,
        ulong c)
    {
        if (dtype != DType.Float32 && dtype != DType.Float64)
            throw new ArgumentException($"GEMM takes float32 or float64, got {dtype}.");
        counts = counts with { Launches = counts.Launches + 1 };
        GemmCore(dtype, transA, transB, m, n, k, a, lda, b, ldb, c);
    }

    /// <summary>
    /// <paramref name="batch"/> row-major GEMMs <c>C_i = op(A_i) · op(B_i)</c> (plus C_i when
    /// <paramref name="accumulate"/>), the i-th operands <c>i · stride</c> elements on (a stride of 0 shares one
    /// matrix); <paramref name="ldc"/> is the row length of C as stored.
    /// </summary>
    public void GemmStridedBatched(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda,
        long strideA, ulong b, int ldb, long strideB, ulong c, int ldc, long strideC, int batch, bool accumulate)
    {
        if (dtype != DType.Float32 && dtype != DType.Float64)
            throw new ArgumentException($"GEMM takes float32 or float64, got {dtype}.");
        counts = counts with { Launches = counts.Launches + 1 };
        GemmStridedBatchedCore(dtype, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC,
            batch, accumulate);
    }

    public PinnedBuffer AllocatePinned(long bytes) => new(this, AllocatePinnedCore(Math.Max(bytes, 1)), bytes);

    /// <summary>Makes the device current on the calling thread (a CUDA context); nothing elsewhere.</summary>
    public virtual void MakeCurrent()
    {
    }

    protected abstract ulong AllocateCore(long bytes);
    protected abstract void FreeCore(ulong pointer);
    protected abstract void CopyToDeviceCore(ulong destination, void* source, long bytes);
    protected abstract void CopyToHostCore(void* destination, ulong source, long bytes);
    protected abstract void SynchronizeCore();
    protected abstract void LaunchCore(nint kernel, uint grid, uint block, KernelArguments arguments);

    protected abstract void GemmCore(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda,
        ulong b, int ldb, ulong c);

    protected abstract void GemmStridedBatchedCore(DType dtype, bool transA, bool transB, int m, int n, int k,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, ulong c, int ldc, long strideC, int batch,
        bool accumulate);

    protected abstract void BeginCaptureCore();
    protected abstract DeviceGraph EndCaptureCore();
    protected abstract void ReplayCore(DeviceGraph graph);
    protected abstract nint AllocatePinnedCore(long bytes);
    protected abstract void FreePinnedCore(nint pointer);

    internal void FreePinned(nint pointer) => FreePinnedCore(pointer);

    public override string ToString() => Name;
}

/// <summary>
/// Counts of what a <see cref="Device"/> did: driver allocations (pool misses), bytes copied each way, kernel and
/// GEMM launches (recorded ones included), graph replays, and waits for the stream. Subtract two to see what a call
/// did.
/// </summary>
public readonly record struct DeviceCounts(long Allocations, long BytesToDevice, long BytesToHost, long Launches,
    long Synchronizations, long Replays = 0)
{
    public static DeviceCounts operator -(DeviceCounts a, DeviceCounts b) => new(a.Allocations - b.Allocations,
        a.BytesToDevice - b.BytesToDevice, a.BytesToHost - b.BytesToHost, a.Launches - b.Launches,
        a.Synchronizations - b.Synchronizations, a.Replays - b.Replays);
}

/// <summary>Work recorded from a stream (a CUDA graph), replayed by <see cref="Device.Replay"/>.</summary>
public abstract class DeviceGraph : IDisposable
{
    public abstract void Dispose();
}

/// <summary>
/// What a capture cannot record (an allocation, a host copy, a wait): the capture is abandoned and the work runs
/// without a graph. <see cref="Transient"/> when the same call may capture later (an upload or an allocation that the
/// next call will not need), not when the call itself reads a device value on the host.
/// </summary>
public sealed class CaptureRefusedException(string message, bool transient) : InvalidOperationException(message)
{
    public bool Transient { get; } = transient;
}

/// <summary>
/// An allocation in device memory, returned to the device's pool once, by <see cref="Dispose"/>; or a part of an
/// arena's block (capacity 0), which the arena reuses and <see cref="Dispose"/> leaves alone.
/// </summary>
public sealed class DeviceMemory(Device device, ulong pointer, long bytes, long capacity) : IDisposable
{
    private bool disposed;

    internal static DeviceMemory Within(DeviceMemory block, long offset, long bytes) =>
        new(block.Device, block.Pointer + (ulong)offset, bytes, 0);

    /// <summary>A handle on memory someone else owns (what a captured graph reads back), never released.</summary>
    internal static DeviceMemory Borrowed(Device device, ulong pointer, long bytes) => new(device, pointer, bytes, 0);

    public Device Device { get; } = device;
    public ulong Pointer => disposed ? throw new ObjectDisposedException(nameof(DeviceMemory)) : pointer;
    public long Bytes { get; } = bytes;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (capacity > 0) Device.Release(pointer, capacity);
    }
}

/// <summary>Page-locked host memory: copies from it to the device run at full PCIe speed and asynchronously.</summary>
public sealed unsafe class PinnedBuffer(Device device, nint pointer, long bytes) : IDisposable
{
    public nint Pointer { get; } = pointer;
    public long Bytes { get; } = bytes;

    public Span<byte> Span => new((void*)Pointer, checked((int)Bytes));

    public void Dispose() => device.FreePinned(Pointer);
}
