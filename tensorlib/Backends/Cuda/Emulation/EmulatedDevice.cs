using System.Runtime.InteropServices;
using Theon.Backends.Cpu;
using Theon.Backends.Cuda.Runtime;

namespace Theon.Backends.Cuda.Emulation;

/// <summary>
/// A <see cref="Device"/> whose memory is host memory and whose kernels are the generated CUDA C compiled by g++
/// (<see cref="HostCompiler"/>: one thread, so every grid-stride and block loop visits everything once). The CUDA
/// backend's runtime (plans, residency and versions of shared values, the pool, transfers, the error flag) runs on it
/// unchanged, and the base class counts what it does; GEMM is the CPU backend's. It is what CI runs the CUDA backend
/// on, and what <c>THEON_CUDA_DEVICE=emulated</c> selects for <c>backend: "cuda"</c> on a machine without a GPU.
/// </summary>
public sealed unsafe class EmulatedDevice : Device
{
    public override string Name => "CUDA emulated on the CPU";

    public override int Multiprocessors => 1;

    private List<Action>? recording;
    private readonly List<KernelArguments> recordedArguments = [];

    // While capturing, work is recorded for the graph instead of run, as a CUDA stream capture does.
    private void Run(Action work)
    {
        if (recording is not null) recording.Add(work);
        else work();
    }

    public override void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        Run(() => Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes));

    public override void Zero(ulong destination, long bytes) =>
        Run(() => new Span<byte>((void*)destination, checked((int)bytes)).Clear());

    public override bool HasGraphs => true;

    protected override void BeginCaptureCore() => recording = [];

    protected override DeviceGraph EndCaptureCore()
    {
        var graph = new RecordedGraph([.. recording!], [.. recordedArguments]);
        recording = null;
        recordedArguments.Clear();
        return graph;
    }

    protected override void ReplayCore(DeviceGraph graph)
    {
        foreach (var work in ((RecordedGraph)graph).Work) work();
    }

    private sealed class RecordedGraph(Action[] work, KernelArguments[] arguments) : DeviceGraph
    {
        public Action[] Work => work;

        public override void Dispose()
        {
            foreach (var a in arguments) a.Dispose();
        }
    }

    public override nint Kernel(string source, string name) => HostCompiler.Entry(source, name);

    protected override ulong AllocateCore(long bytes) => (ulong)NativeMemory.AlignedAlloc((nuint)bytes, 256);

    protected override void FreeCore(ulong pointer) => NativeMemory.AlignedFree((void*)pointer);

    protected override void CopyToDeviceCore(ulong destination, void* source, long bytes) =>
        Buffer.MemoryCopy(source, (void*)destination, bytes, bytes);

    protected override void CopyToHostCore(void* destination, ulong source, long bytes) =>
        Buffer.MemoryCopy((void*)source, destination, bytes, bytes);

    protected override void SynchronizeCore()
    {
    }

    protected override void LaunchCore(nint kernel, uint grid, uint block, KernelArguments arguments)
    {
        if (recording is null)
        {
            ((delegate* unmanaged[Cdecl]<nint, void>)kernel)(arguments.Address);
            return;
        }
        var copy = arguments.Copy();
        recordedArguments.Add(copy);
        var address = copy.Address;
        recording.Add(() => ((delegate* unmanaged[Cdecl]<nint, void>)kernel)(address));
    }

    protected override void GemmCore(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda,
        ulong b, int ldb, ulong c) => Run(() => CpuGemm(dtype, transA, transB, m, n, k, a, lda, b, ldb, c, n, false));

    private static void CpuGemm(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda, ulong b,
        int ldb, ulong c, int ldc, bool accumulate)
    {
        var (rowsA, rowsB) = (transA ? k : m, transB ? n : k);
        var lengthC = (m - 1) * ldc + n;
        if (dtype == DType.Float32)
            Cpu.PackedGemm.Multiply(transA, transB, m, n, k, 1f, new ReadOnlySpan<float>((void*)a, rowsA * lda), lda,
                new ReadOnlySpan<float>((void*)b, rowsB * ldb), ldb, accumulate ? 1f : 0f,
                new Span<float>((void*)c, lengthC), ldc);
        else
            Cpu.PackedGemm.Multiply(transA, transB, m, n, k, 1.0, new ReadOnlySpan<double>((void*)a, rowsA * lda), lda,
                new ReadOnlySpan<double>((void*)b, rowsB * ldb), ldb, accumulate ? 1.0 : 0.0,
                new Span<double>((void*)c, lengthC), ldc);
    }

    protected override void GemmStridedBatchedCore(DType dtype, bool transA, bool transB, int m, int n, int k,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, ulong c, int ldc, long strideC, int batch,
        bool accumulate) => Run(() =>
    {
        var size = (ulong)dtype.ItemSize;
        for (var i = 0; i < batch; i++)
            CpuGemm(dtype, transA, transB, m, n, k, a + (ulong)(i * strideA) * size, lda,
                b + (ulong)(i * strideB) * size, ldb, c + (ulong)(i * strideC) * size, ldc, accumulate);
    });

    protected override nint AllocatePinnedCore(long bytes) => (nint)NativeMemory.AlignedAlloc((nuint)bytes, 256);

    protected override void FreePinnedCore(nint pointer) => NativeMemory.AlignedFree((void*)pointer);
}
