using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
