using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// <c>RandomStreams.uniform</c> of 10M float32 (a compiled function with <c>borrow</c>, so the draw is written into
/// the function's own buffer) against the STREAM triad over 10M floats in the same run. Bytes: 4 per element
/// written for the draw, 12 per element for the triad (as STREAM counts). Target: the draw's GB/s at least 0.7x the
/// triad's. A write-only fill of the same 10M floats with non-temporal stores (the fastest a generator could write,
/// 4 bytes per element) and TorchSharp's <c>uniform_</c> into a kept 10M float32 tensor is the peer, same thread count.
/// </summary>
[Config(typeof(RandomBandwidthConfig))]
public class RandomBenchmarks
{
    public const int Length = StreamTriadBenchmarks.Length;
    private readonly StreamTriad triad = new(Length);
    private readonly StreamFill fill = new(Length);
    private Function uniform = null!;
    private torch.Tensor torchBuffer = null!;
    private torch.Generator torchGenerator = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.threads = Threads > 1;
        config.num_threads = Threads;
        uniform = function([], new RandomStreams(1234).uniform(Length, dtype: "float32"), borrow: true);
        uniform();
        torch.set_num_threads(Threads);
        torchGenerator = new torch.Generator(1234);
        torchBuffer = torch.empty(Length, torch.float32);
        torchBuffer.uniform_(0.0, 1.0, torchGenerator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        torchBuffer.Dispose();
        torchGenerator.Dispose();
    }

    [Benchmark(Description = "STREAM triad")]
    public void Triad() => triad.Run(Threads);

    [Benchmark(Description = "fill (write only)")]
    public void Fill() => fill.Run(Threads);

    [Benchmark(Description = "uniform float32 10M")]
    public NDArray Uniform() => uniform();

    [Benchmark(Description = "TorchSharp uniform_ float32 10M")]
    public torch.Tensor TorchUniform() => torchBuffer.uniform_(0.0, 1.0, torchGenerator);
}

internal sealed class RandomBandwidthConfig() : ThroughputConfig(new RateColumn("GB/s",
    c => (c.Descriptor.WorkloadMethod.Name == nameof(RandomBenchmarks.Triad) ? 3.0 : 1.0) * sizeof(float) *
        RandomBenchmarks.Length));
