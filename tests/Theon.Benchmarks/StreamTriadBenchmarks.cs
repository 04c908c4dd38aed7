using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Theon.Benchmarks;

/// <summary>
/// STREAM triad a[i] = b[i] + s·c[i] over 10M floats (three 40 MB arrays, far beyond the caches): the memory
/// bandwidth reference. Bytes counted as STREAM does: 3 × 4 bytes per element (no write-allocate traffic).
/// </summary>
[Config(typeof(BandwidthConfig))]
public class StreamTriadBenchmarks
{
    public const int Length = 10_000_000;
    private readonly StreamTriad triad = new(Length);

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Description = "STREAM triad")]
    public void Triad() => triad.Run(Threads);
}

/// <summary>The triad's arrays and loop, shared by the benchmarks that compare against it.</summary>
internal sealed class StreamTriad
{
    private const float Scalar = 3f;
    private readonly float[] a, b, c;

    public StreamTriad(int length)
    {
        (a, b, c) = (new float[length], new float[length], new float[length]);
        Array.Fill(b, 1f);
        Array.Fill(c, 2f);
    }

    public void Run(int threads)
    {
        if (threads == 1)
        {
            Run(a, b, c);
            return;
        }
        var chunk = (a.Length + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            var start = part * chunk;
            var count = Math.Min(chunk, a.Length - start);
            Run(a.AsSpan(start, count), b.AsSpan(start, count), c.AsSpan(start, count));
        });
    }

    private static void Run(Span<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rc = ref MemoryMarshal.GetReference(c);
        var i = 0;
        for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var sum = Vector256.LoadUnsafe(ref rb, (nuint)i) + Scalar * Vector256.LoadUnsafe(ref rc, (nuint)i);
            sum.StoreUnsafe(ref ra, (nuint)i);
        }
        for (; i < a.Length; i++) a[i] = b[i] + Scalar * c[i];
    }
}

/// <summary>
/// A write-only stream: 10M floats set with aligned non-temporal stores where the CPU has them (no read of the
/// line written), split over the threads as the triad is. The ceiling of any loop that only writes its output.
/// </summary>
internal sealed unsafe class StreamFill
{
    private readonly float[] a;
    private readonly int first;   // the first element on a 64-byte boundary

    public StreamFill(int length)
    {
        a = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        fixed (float* p = a) first = (int)((64 - (nint)p % 64) % 64 / sizeof(float));
    }

    public int Length => a.Length - 16;

    public void Run(int threads)
    {
        // chunks of whole 64-byte lines, so every store stays aligned
        var chunk = (Length / threads + 15) / 16 * 16;
        if (threads == 1)
        {
            Run(0, Length);
            return;
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            part => Run(part * chunk, Math.Min(chunk, Length - part * chunk)));
    }

    private void Run(int start, int count)
    {
        fixed (float* p = &a[first + start])
        {
            var i = 0;
            if (Avx512F.IsSupported)
            {
                var v = Vector512.Create(1f);
                for (; i <= count - 16; i += 16) Avx512F.StoreAlignedNonTemporal(p + i, v);
            }
            else if (Avx.IsSupported)
            {
                var v = Vector256.Create(1f);
                for (; i <= count - 8; i += 8) Avx.StoreAlignedNonTemporal(p + i, v);
            }
            for (; i < count; i++) p[i] = 1f;
        }
    }
}
