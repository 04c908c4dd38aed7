using BenchmarkDotNet.Attributes;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// sigmoid(a*b + c) over 10M float32 (one fused loop: three 40 MB inputs read, one written, 16 bytes per element),
/// against the STREAM triad (12 bytes per element) measured right after it in the same class, so that both see the
/// same memory system: on a shared VM the bandwidth drifts by tens of percent from minute to minute.
/// </summary>
[Config(typeof(FusedBandwidthConfig))]
public class FusedElementwiseBenchmarks
{
    public const int Length = StreamTriadBenchmarks.Length;
    private Function fused = null!;
    private object[] args = [];
    private readonly StreamTriad triad = new(Length);

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.num_threads = Threads;
        var (a, b, c) = (fvector("a"), fvector("b"), fvector("c"));
        fused = function([a, b, c], sigmoid(a * b + c), backend: "cpu", borrow: true);
        var state = np.random.RandomState(0);
        args = [.. Enumerable.Range(0, 3).Select(_ => state.uniform(-1, 1, Length).astype("float32"))];
        fused(args);
    }

    [GlobalCleanup]
    public void Cleanup() => config.num_threads = Environment.ProcessorCount;

    [Benchmark(Description = "Theon sigmoid(a*b+c)")]
    public NDArray Fused() => fused(args);

    [Benchmark(Description = "STREAM triad")]
    public void Triad() => triad.Run(Threads);
}

