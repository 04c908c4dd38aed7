using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// One SGD step (rate 0.01) of a 784-500-10 float32 MLP (tanh hidden layer, softmax cross-entropy on int64 labels)
/// at batch 20 and 256: Theon's CPU backend against TorchSharp on the same data and thread count; and the time
/// <c>function(...)</c> takes to compile the step (loops already in the process-wide cache after the first).
/// </summary>
[Config(typeof(LatencyConfig))]
public class MlpBenchmarks
{
    private FunctionN step = null!;
    private object[] args = [];
    private Variable[] inputs = [];
    private Variable[] outputs = [];
    private (SharedVariable, Variable)[] updates = [];
    private torch.Tensor tx = null!, ty = null!, tw1 = null!, tb1 = null!, tw2 = null!, tb2 = null!;

    [Params(20, 256)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.num_threads = Threads;
        torch.set_num_threads(Threads);
        var state = np.random.RandomState(1234);
        var w1 = state.uniform(-0.05, 0.05, [784, 500]).astype("float32");
        var w2 = state.uniform(-0.05, 0.05, [500, 10]).astype("float32");
        var data = state.uniform(0, 1, [Batch, 784]).astype("float32");
        var labels = state.randint(0, 10, [Batch]);
        var previous = config.floatX;
        config.floatX = "float32";
        try
        {
            var (x, y) = (fmatrix("x"), lvector("y"));
            var W1 = shared(w1, name: "W1");
            var b1 = shared(np.zeros([500], "float32"), name: "b1");
            var W2 = shared(w2, name: "W2");
            var b2 = shared(np.zeros([10], "float32"), name: "b2");
            var hidden = tanh(dot(x, W1) + b1);
            var p = nnet.softmax(dot(hidden, W2) + b2);
            var cost = mean(nnet.categorical_crossentropy(p, y));
            var grads = grad(cost, [W1, b1, W2, b2]);
            inputs = [x, y];
            outputs = [cost];
            updates = [(W1, W1 - 0.01 * grads[0]), (b1, b1 - 0.01 * grads[1]), (W2, W2 - 0.01 * grads[2]), (b2,
                b2 - 0.01 * grads[3])];
            var watch = System.Diagnostics.Stopwatch.StartNew();
            step = function(inputs, outputs, updates: updates, backend: "cpu", borrow: true);
            Console.WriteLine($"// first compile of the MLP step: {watch.Elapsed.TotalMilliseconds:F1} ms");
        }
        finally
        {
            config.floatX = previous;
        }
        args = [data, labels];
        tx = torch.tensor(data.ToFlatArray<float>(), Batch, 784);
        ty = torch.tensor(labels.ToFlatArray<long>());
        tw1 = torch.tensor(w1.ToFlatArray<float>(), 784, 500).requires_grad_();
        tb1 = torch.zeros(500).requires_grad_();
        tw2 = torch.tensor(w2.ToFlatArray<float>(), 500, 10).requires_grad_();
        tb2 = torch.zeros(10).requires_grad_();
    }

    [GlobalCleanup]
    public void Cleanup() => config.num_threads = Environment.ProcessorCount;

    [Benchmark(Description = "Theon cpu step")]
    public NDArray[] Theon() => step(args);

    [Benchmark(Description = "TorchSharp step")]
    public float Torch()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tanh(tx.matmul(tw1) + tb1).matmul(tw2) + tb2;
        var cost = torch.nn.functional.cross_entropy(logits, ty);
        cost.backward();
        using (torch.no_grad())
        {
            foreach (var p in new[] { tw1, tb1, tw2, tb2 })
            {
                p.sub_(0.01f * p.grad!);
                p.grad!.zero_();
            }
        }
        return cost.item<float>();
    }

    [Benchmark(Description = "Theon compile (function)")]
    public FunctionN Compile() => function(inputs, outputs, updates: updates, backend: "cpu");
}
