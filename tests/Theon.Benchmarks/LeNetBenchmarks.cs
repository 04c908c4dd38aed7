using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;
using F = TorchSharp.torch.nn.functional;

namespace Theon.Benchmarks;

/// <summary>
/// The LeNet of notebook 08 (Theano's tutorial network: conv 20 5×5, max-pool 2×2, tanh, conv 50 5×5, max-pool,
/// tanh, 800-500 tanh, softmax; float32), one SGD step at batch 64 and 500: Theon's CPU backend against TorchSharp
/// on the same data and thread count.
/// </summary>
[Config(typeof(LatencyConfig))]
public class LeNetBenchmarks
{
    private FunctionN step = null!;
    private object[] args = [];
    private torch.Tensor tx = null!, ty = null!;
    private torch.Tensor[] tparams = [];

    [Params(64, 500)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    internal static NDArray[] InitialParameters()
    {
        var state = np.random.RandomState(23455);
        return
        [
            state.uniform(-0.1, 0.1, [20, 1, 5, 5]).astype("float32"), np.zeros([20], "float32"),
            state.uniform(-0.05, 0.05, [50, 20, 5, 5]).astype("float32"), np.zeros([50], "float32"),
            state.uniform(-0.05, 0.05, [800, 500]).astype("float32"), np.zeros([500], "float32"),
            state.uniform(-0.1, 0.1, [500, 10]).astype("float32"), np.zeros([10], "float32"),
        ];
    }

    [GlobalSetup]
    public void Setup()
    {
        config.num_threads = Threads;
        torch.set_num_threads(Threads);
        var state = np.random.RandomState(1234);
        var data = state.uniform(0, 1, [Batch, 1, 28, 28]).astype("float32");
        var labels = state.randint(0, 10, [Batch]);
        var initial = InitialParameters();
        var (x, y) = (ftensor4("x"), lvector("y"));
        var p = initial.Select((v, i) => shared(v, name: $"p{i}")).ToArray();
        var h0 = tanh(signal.pool.pool_2d(nnet.conv2d(x, p[0], filter_shape: [20, 1, 5, 5]), (2, 2)) + p[1].dimshuffle('x', 0, 'x', 'x'));
        var h1 = tanh(signal.pool.pool_2d(nnet.conv2d(h0, p[2], filter_shape: [50, 20, 5, 5]), (2, 2)) + p[3].dimshuffle('x', 0, 'x', 'x'));
        var h2 = tanh(dot(flatten(h1, 2), p[4]) + p[5]);
        var cost = mean(nnet.categorical_crossentropy(nnet.softmax(dot(h2, p[6]) + p[7]), y));
        var grads = grad(cost, [.. p]);
        step = function([x, y], [cost], updates: [.. p.Select((v, i) => (v, v - 0.1f * grads[i]))], backend: "cpu", borrow: true);
        args = [data, labels];
        tx = torch.tensor(data.ToFlatArray<float>(), Batch, 1, 28, 28);
        ty = torch.tensor(labels.ToFlatArray<long>());
        tparams = [.. initial.Select(v => torch.tensor(v.ToFlatArray<float>(), [.. v.shape.Select(n => (long)n)]).requires_grad_())];
    }

    [GlobalCleanup]
    public void Cleanup() => config.num_threads = Environment.ProcessorCount;

    [Benchmark(Description = "Theon cpu LeNet step")]
    public NDArray[] Theon() => step(args);

    [Benchmark(Description = "TorchSharp LeNet step")]
    public float Torch()
    {
        using var scope = torch.NewDisposeScope();
        var p = tparams;
        var h0 = torch.tanh(F.max_pool2d(F.conv2d(tx, p[0]), [2, 2]) + p[1].view(1, -1, 1, 1));
        var h1 = torch.tanh(F.max_pool2d(F.conv2d(h0, p[2]), [2, 2]) + p[3].view(1, -1, 1, 1));
        var h2 = torch.tanh(h1.flatten(1).matmul(p[4]) + p[5]);
        var cost = F.cross_entropy(h2.matmul(p[6]) + p[7], ty);
        cost.backward();
        using (torch.no_grad())
        {
            foreach (var t in p)
            {
                t.sub_(0.1f * t.grad!);
                t.grad!.zero_();
            }
        }
        return cost.item<float>();
    }
}

/// <summary>
/// One convolution layer of LeNet alone, forward and backward (the output, the filter gradient and, for the second
/// layer, the input gradient), at the two layers' shapes, on one thread: Theon's CPU kernels against TorchSharp.
/// </summary>
[Config(typeof(LatencyConfig))]
public class LeNetConvLayerBenchmarks
{
    private FunctionN layer = null!;
    private object[] args = [];
    private torch.Tensor tx = null!, tw = null!, tg = null!;

    [Params(64, 500)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Layer { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.num_threads = 1;
        torch.set_num_threads(1);
        var state = np.random.RandomState(5);
        var (channels, size, filters) = Layer == 1 ? (1, 28, 20) : (20, 12, 50);
        var data = state.uniform(-1, 1, [Batch, channels, size, size]).astype("float32");
        var weights = state.uniform(-0.1, 0.1, [filters, channels, 5, 5]).astype("float32");
        var gradient = state.uniform(-1, 1, [Batch, filters, size - 4, size - 4]).astype("float32");
        var (x, g) = (ftensor4("x"), ftensor4("g"));
        var w = shared(weights, name: "W");
        var y = nnet.conv2d(x, w);
        var cost = (y * g).sum();
        // The first layer's input is the data: like TorchSharp, no gradient for it.
        Variable[] outputs = Layer == 1 ? [y, grad(cost, w)] : [y, grad(cost, w), grad(cost, x)];
        layer = function([x, g], outputs, backend: "cpu", borrow: true);
        args = [data, gradient];
        tx = torch.tensor(data.ToFlatArray<float>(), Batch, channels, size, size);
        if (Layer == 2) tx = tx.requires_grad_();
        tw = torch.tensor(weights.ToFlatArray<float>(), filters, channels, 5, 5).requires_grad_();
        tg = torch.tensor(gradient.ToFlatArray<float>(), Batch, filters, size - 4, size - 4);
    }

    [GlobalCleanup]
    public void Cleanup() => config.num_threads = Environment.ProcessorCount;

    [Benchmark(Description = "Theon conv forward+backward")]
    public NDArray[] Theon() => layer(args);

    [Benchmark(Description = "TorchSharp conv forward+backward")]
    public void Torch()
    {
        using var scope = torch.NewDisposeScope();
        var y = F.conv2d(tx, tw);
        y.backward([tg]);
        tw.grad!.zero_();
        if (Layer == 2) tx.grad!.zero_();
    }
}
