using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Theon.Benchmarks;

/// <summary>
/// The machine's measured fp32 FMA peak: independent Vector512 FMA chains held in registers, no memory traffic.
/// GEMM figures are reported as a fraction of this, since the clock under a hypervisor is not known exactly.
/// </summary>
[Config(typeof(PeakConfig))]
public class FmaPeakBenchmarks
{
    public const long Steps = 2_000_000;
    public const int Chains = 12;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Description = "FMA peak fp32")]
    public float Peak()
    {
        if (Threads == 1) return Chain(Steps);
        var results = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads },
            part => results[part] = Chain(Steps));
        return results.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chain(long steps)
    {
        Vector512<float> x = Vector512.Create(1.0001f), y = Vector512.Create(0.9999f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < steps; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(x, y, a0); a1 = Vector512.FusedMultiplyAdd(x, y, a1);
            a2 = Vector512.FusedMultiplyAdd(x, y, a2); a3 = Vector512.FusedMultiplyAdd(x, y, a3);
            a4 = Vector512.FusedMultiplyAdd(x, y, a4); a5 = Vector512.FusedMultiplyAdd(x, y, a5);
            a6 = Vector512.FusedMultiplyAdd(x, y, a6); a7 = Vector512.FusedMultiplyAdd(x, y, a7);
            a8 = Vector512.FusedMultiplyAdd(x, y, a8); a9 = Vector512.FusedMultiplyAdd(x, y, a9);
            a10 = Vector512.FusedMultiplyAdd(x, y, a10); a11 = Vector512.FusedMultiplyAdd(x, y, a11);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }
}
