using System.Runtime.CompilerServices;

namespace Theon.Backends.Cpu;

/// <summary>
/// Per-thread packing buffers, 64-byte aligned and reused across calls, so that a steady-state GEMM allocates
/// nothing. They live on the pinned object heap: their addresses stay valid without a fixed statement.
/// </summary>
internal static unsafe class GemmBuffers<T> where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic] private static T[]? packedA;
    [ThreadStatic] private static T[]? packedB;

    public static T* A(int length) => Aligned(ref packedA, length);
    public static T* B(int length) => Aligned(ref packedB, length);

    private static T* Aligned(ref T[]? buffer, int length)
    {
        var padded = length + Alignment / sizeof(T);
        if (buffer is null || buffer.Length < padded)
            buffer = GC.AllocateUninitializedArray<T>(Math.Max(padded, (buffer?.Length ?? 0) * 3 / 2), pinned: true);
        var address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
    }
}
