using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Theon.Backends.Cpu.Random;

/// <summary>
/// Consecutive vectors stored from <c>start</c> on. With <c>streaming</c>, each whole 64-byte line is written by a
/// non-temporal store: a cached store first reads the line it writes, which costs a write-only loop half its
/// bandwidth. .NET arrays are 8-byte aligned, so the lines fall across the vectors: each line is the end of one
/// vector and the start of the next (one two-table permute); the part before the first line and after the last
/// are ordinary stores.
/// </summary>
internal unsafe ref struct LineStores<T> where T : unmanaged
{
    private readonly T* start;
    private readonly bool streaming;
    private readonly int shift;
    private readonly Vector512<int> index32;
    private readonly Vector512<long> index64;
    private Vector512<T> carry;
    private int count;

    public LineStores(T* start, bool streaming)
    {
        this.start = start;
        var gap = (int)((64 - (nint)start % 64) % 64);
        this.streaming = streaming && gap % sizeof(T) == 0 && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
        shift = gap / sizeof(T);
        index32 = Vector512.Create(shift) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        index64 = Vector512.Create((long)shift) + Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Put(Vector512<T> v)
    {
        var at = start + (long)count * Vector512<T>.Count;
        if (!streaming || count == 0)
        {
            v.Store(at);
        }
        else
        {
            // The line starting `shift` elements into the previous vector.
            Vector512.StoreAlignedNonTemporal(Join(carry, v), at - Vector512<T>.Count + shift);
        }
        carry = v;
        count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly Vector512<T> Join(Vector512<T> first, Vector512<T> second) =>
        typeof(T) == typeof(float)
            ? Avx512F.PermuteVar16x32x2(first.AsSingle(), index32, second.AsSingle()).As<float, T>()
            : Avx512F.PermuteVar8x64x2(first.AsDouble(), index64, second.AsDouble()).As<double, T>();

    /// <summary>Orders the streamed stores before later ones and stores the end of the last vector.</summary>
    public readonly void Finish()
    {
        if (!streaming || count == 0) return;
        Sse.StoreFence();
        carry.Store(start + (long)(count - 1) * Vector512<T>.Count);
    }
}
