using BenchmarkDotNet.Attributes;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// <c>RandomStreams.uniform</c> of 10M float32 (a compiled function with <c>borrow</c>, so the draw is written into
/// the function's own buffer) against the STREAM triad over 10M floats in the same run. Bytes: 4 per element
/// written for the draw, 12 per element for the triad (as STREAM counts). Target: the draw's GB/s at least 0.7x the
/// triad's.
/// </summary>
[Config(typeof(RandomBandwidthConfig))]
public class RandomBenchmarks
{
    public const int Length = StreamTriadBenchmarks.Length;
    private readonly StreamTriad triad = new(Length);
    private Function uniform = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.threads = Threads > 1;
        config.num_threads = Threads;
        uniform = function([], new RandomStreams(1234).uniform(Length, dtype: "float32"), borrow: true);
        uniform();
    }

    [Benchmark(Description = "STREAM triad")]
    public void Triad() => triad.Run(Threads);

    [Benchmark(Description = "uniform float32 10M")]
    public NDArray Uniform() => uniform();
}

internal sealed class RandomBandwidthConfig() : ThroughputConfig(new RateColumn("GB/s",
    c => (c.Descriptor.WorkloadMethod.Name == nameof(RandomBenchmarks.Triad) ? 3.0 : 1.0) * sizeof(float) *
        RandomBenchmarks.Length));
