using System.Runtime.InteropServices;
using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

/// <summary>
/// A <see cref="Device"/> whose memory is host memory and whose kernels are the generated CUDA C compiled by g++
/// (<see cref="HostEmulation"/>: one thread, so every grid-stride and block loop visits everything once). The CUDA
/// backend's runtime (plans, residency and versions of shared values, the pool, transfers, the error flag) runs on
/// it unchanged, and the base class counts what it does. GEMM is a plain triple loop in double.
/// </summary>
public sealed unsafe class HostDevice : Device
{
    public override string Name => "host emulation";

    public override int Multiprocessors => 1;

    public override void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);

    public override void Zero(ulong destination, long bytes) => new Span<byte>((void*)destination, checked((int)bytes))
        .Clear();

    public override nint Kernel(string source, string name) => HostEmulation.Entry(source, name);

    protected override ulong AllocateCore(long bytes) => (ulong)NativeMemory.AlignedAlloc((nuint)bytes, 256);

    protected override void FreeCore(ulong pointer) => NativeMemory.AlignedFree((void*)pointer);

    protected override void CopyToDeviceCore(ulong destination, void* source, long bytes) =>
        Buffer.MemoryCopy(source, (void*)destination, bytes, bytes);

    protected override void CopyToHostCore(void* destination, ulong source, long bytes) =>
        Buffer.MemoryCopy((void*)source, destination, bytes, bytes);

    protected override void SynchronizeCore()
    {
    }

    protected override void LaunchCore(nint kernel, uint grid, uint block, KernelArguments arguments) =>
        ((delegate* unmanaged[Cdecl]<nint, void>)kernel)(arguments.Address);

    protected override void GemmCore(DType dtype, bool transA, bool transB, int m, int n, int k, ulong a, int lda,
        ulong b, int ldb, ulong c)
    {
        double A(int i, int p) => Read(dtype, a, transA ? (long)p * lda + i : (long)i * lda + p);
        double B(int p, int j) => Read(dtype, b, transB ? (long)j * ldb + p : (long)p * ldb + j);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++) sum += A(i, p) * B(p, j);
                if (dtype == DType.Float32) ((float*)c)[(long)i * n + j] = (float)sum;
                else ((double*)c)[(long)i * n + j] = sum;
            }
        }
    }

    private static double Read(DType dtype, ulong pointer, long index) =>
        dtype == DType.Float32 ? ((float*)pointer)[index] : ((double*)pointer)[index];

    protected override nint AllocatePinnedCore(long bytes) => (nint)NativeMemory.AlignedAlloc((nuint)bytes, 256);

    protected override void FreePinnedCore(nint pointer) => NativeMemory.AlignedFree((void*)pointer);
}
