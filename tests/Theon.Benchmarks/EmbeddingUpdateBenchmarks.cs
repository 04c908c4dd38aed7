using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// The sparse update of an embedding table, <c>(E, inc_subtensor(E[idx], -lr * g))</c>, for a 100000×128 float32 E and
/// 64 rows a call, on the CPU backend: before (<c>config.inplace_updates = false</c>: a new E computed and copied into
/// E's buffer each call) and after (the rows written into E's buffer), beside TorchSharp's <c>index_add_</c> on its CPU
/// runtime (one thread).
/// </summary>
[Config(typeof(LatencyConfig))]
public class EmbeddingUpdateBenchmarks
{
    private const int Rows = 100_000, Columns = 128, Touched = 64;
    private const float Rate = 0.1f;
    private Function before = null!, after = null!;
    private object[] args = [];
    private torch.Tensor table = null!, index = null!, gradient = null!;

    [GlobalSetup]
    public void Setup()
    {
        var state = np.random.RandomState(3);
        var values = state.uniform(-1, 1, [Rows, Columns]).astype("float32");
        long[] rows = [.. Enumerable.Range(0, Touched).Select(j => (long)(j * 1543 % Rows))];
        var g = state.uniform(-1, 1, [Touched, Columns]).astype("float32");
        before = Build(values, inPlace: false);
        after = Build(values, inPlace: true);
        args = [rows, g];
        torch.set_num_threads(1);
        table = torch.tensor(values.ToFlatArray<float>(), Rows, Columns);
        index = torch.tensor(rows);
        gradient = torch.tensor(g.ToFlatArray<float>(), Touched, Columns);
    }

    private static Function Build(NDArray values, bool inPlace)
    {
        var e = shared(values, name: "E");
        var (idx, g) = (lvector("idx"), fmatrix("g"));
        config.inplace_updates = inPlace;
        try
        {
            return function([idx, g], g.sum(), updates: [(e, inc_subtensor(e[idx], -Rate * g))]);
        }
        finally
        {
            config.inplace_updates = true;
        }
    }

    [Benchmark(Baseline = true)]
    public NDArray OutOfPlace() => before(args);

    [Benchmark]
    public NDArray InPlace() => after(args);

    [Benchmark]
    public torch.Tensor TorchSharpIndexAdd()
    {
        using var _ = torch.no_grad();
        return table.index_add_(0, index, gradient, -Rate);
    }
}
