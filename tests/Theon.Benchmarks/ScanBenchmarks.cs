using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// One SGD step (rate 0.01) of an Elman RNN in float32: 100 steps, batch 32, 64 inputs, 128 hidden units
/// (h_t = tanh(x_t W + h_{t-1} U + b)), a 16-unit linear readout of every step and a mean squared error; forward,
/// back-propagation through time and the update. Theon runs it as two scans (forward, and BPTT as the gradient's
/// scan); TorchSharp as it is naturally written, a C# loop over the steps with autograd. Also the per-step cost of
/// the loop itself: a scan whose body returns its state unchanged, 1000 steps.
/// </summary>
[Config(typeof(LatencyConfig))]
public class ScanBenchmarks
{
    public const int Steps = 100, Batch = 32, Inputs = 64, Hidden = 128, Readout = 16, EmptySteps = 1000;

    private FunctionN step = null!;
    private Function empty = null!;
    private object[] args = [];
    private torch.Tensor tx = null!, ty = null!, th0 = null!, tw = null!, tu = null!, tb = null!, tv = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        config.num_threads = Threads;
        torch.set_num_threads(Threads);
        var state = np.random.RandomState(1234);
        var w = state.uniform(-0.1, 0.1, [Inputs, Hidden]).astype("float32");
        var u = state.uniform(-0.1, 0.1, [Hidden, Hidden]).astype("float32");
        var v = state.uniform(-0.1, 0.1, [Hidden, Readout]).astype("float32");
        var data = state.uniform(-1, 1, [Steps, Batch, Inputs]).astype("float32");
        var target = state.uniform(-1, 1, [Steps, Batch, Readout]).astype("float32");
        var previous = config.floatX;
        config.floatX = "float32";
        try
        {
            var (x, y) = (ftensor3("x"), ftensor3("y"));
            var (W, U, V) = (shared(w, "W"), shared(u, "U"), shared(v, "V"));
            var b = shared(np.zeros([Hidden], "float32"), "b");
            var h0 = fmatrix("h0");
            var (outputs, _) = scan((xt, hPrev) =>
            {
                var h = tanh(dot(xt, W) + dot(hPrev, U) + b);
                return [h, dot(h, V)];
            }, sequences: x, outputs_info: [h0, null]);
            var cost = mean(sqr(outputs[1] - y));
            var grads = grad(cost, [W, U, b, V]);
            step = function([x, y, h0], [cost], updates:
                [(W, W - 0.01 * grads[0]), (U, U - 0.01 * grads[1]), (b, b - 0.01 * grads[2]), (V, V - 0.01 * grads[3])],
                backend: "cpu", borrow: true);
            var s0 = fvector("s0");
            var (states, _) = scan((Variable s) => s, outputs_info: s0, n_steps: EmptySteps);
            empty = function([s0], states, backend: "cpu", borrow: true);
        }
        finally
        {
            config.floatX = previous;
        }
        var zeros = np.zeros([Batch, Hidden], "float32");
        args = [data, target, zeros];
        tx = torch.tensor(data.ToFlatArray<float>(), Steps, Batch, Inputs);
        ty = torch.tensor(target.ToFlatArray<float>(), Steps, Batch, Readout);
        th0 = torch.zeros(Batch, Hidden);
        tw = torch.tensor(w.ToFlatArray<float>(), Inputs, Hidden).requires_grad_();
        tu = torch.tensor(u.ToFlatArray<float>(), Hidden, Hidden).requires_grad_();
        tb = torch.zeros(Hidden).requires_grad_();
        tv = torch.tensor(v.ToFlatArray<float>(), Hidden, Readout).requires_grad_();
    }

    [GlobalCleanup]
    public void Cleanup() => config.num_threads = Environment.ProcessorCount;

    [Benchmark(Description = "Theon scan RNN step (fwd+BPTT+update)")]
    public NDArray[] Theon() => step(args);

    [Benchmark(Description = "TorchSharp RNN step (C# loop + autograd)")]
    public float Torch()
    {
        using var scope = torch.NewDisposeScope();
        var h = th0;
        var states = new List<torch.Tensor>(Steps);
        for (var t = 0; t < Steps; t++)
        {
            h = torch.tanh(tx[t].matmul(tw) + h.matmul(tu) + tb);
            states.Add(h);
        }
        var cost = (torch.stack(states).matmul(tv) - ty).square().mean();
        cost.backward();
        using (torch.no_grad())
        {
            foreach (var p in new[] { tw, tu, tb, tv })
            {
                p.sub_(0.01f * p.grad!);
                p.grad!.zero_();
            }
        }
        return cost.item<float>();
    }

    [Benchmark(Description = "Theon empty scan body, 1000 steps")]
    public NDArray Empty() => empty(np.zeros([1], "float32"));
}
