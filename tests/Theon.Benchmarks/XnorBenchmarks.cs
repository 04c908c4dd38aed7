using BenchmarkDotNet.Attributes;
using TorchSharp;
using static Theon.T;

namespace Theon.Benchmarks;

/// <summary>
/// One training step of the 03 walkthrough's XNOR network (2-2-1 sigmoid, 4 examples, cross-entropy, SGD with
/// rate 0.01): Theon's CPU backend (unrolled, as a small graph runs after its second call, and on its kernels alone),
/// the reference backend, TorchSharp (autograd on its CPU runtime) and a hand-written C# loop (the lower bound).
/// </summary>
[Config(typeof(LatencyConfig))]
public class XnorBenchmarks
{
    private static readonly double[,] X = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly double[] Y = [1, 0, 0, 1];
    private FunctionN cpu = null!, kernels = null!, reference = null!;
    private object[] args = [];
    private torch.Tensor tx = null!, ty = null!, tw1 = null!, tw2 = null!, tw3 = null!, tb1 = null!, tb2 = null!;
    private readonly HandWrittenXnor hand = new();

    [GlobalSetup]
    public void Setup()
    {
        cpu = Build("cpu");
        kernels = Build("cpu");
        ((Backends.Cpu.CpuExecutable)CompiledFunction.Of(kernels).Executable).MayUnroll = false;
        reference = Build("reference");
        args = [NDArray.FromArray(X), NDArray.FromArray(Y)];
        torch.set_num_threads(1);
        tx = torch.tensor(new double[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
        ty = torch.tensor(Y);
        tw1 = torch.tensor(new[] { 0.3, 0.7 }).requires_grad_();
        tw2 = torch.tensor(new[] { 0.2, 0.9 }).requires_grad_();
        tw3 = torch.tensor(new[] { 0.5, 0.4 }).requires_grad_();
        tb1 = torch.tensor(1.0).requires_grad_();
        tb2 = torch.tensor(1.0).requires_grad_();
    }

    private static FunctionN Build(string backend)
    {
        var rng = new Random(2);
        var x = matrix("x");
        var w1 = shared(new[] { rng.NextDouble(), rng.NextDouble() });
        var w2 = shared(new[] { rng.NextDouble(), rng.NextDouble() });
        var w3 = shared(new[] { rng.NextDouble(), rng.NextDouble() });
        var b1 = shared(1.0);
        var b2 = shared(1.0);
        var a1 = 1 / (1 + exp(-dot(x, w1) - b1));
        var a2 = 1 / (1 + exp(-dot(x, w2) - b1));
        var a3 = 1 / (1 + exp(-dot(stack([a1, a2], axis: 1), w3) - b2));
        var aHat = vector("a_hat");
        var cost = -(aHat * log(a3) + (1 - aHat) * log(1 - a3)).sum();
        var (dw1, dw2, dw3, db1, db2) = grad(cost, [w1, w2, w3, b1, b2]);
        return function([x, aHat], [a3, cost],
            updates: [(w1, w1 - 0.01 * dw1), (w2, w2 - 0.01 * dw2), (w3, w3 - 0.01 * dw3), (b1, b1 - 0.01 * db1), (b2,
                b2 - 0.01 * db2)],
            backend: backend, borrow: true);
    }

    [Benchmark(Description = "Theon cpu")]
    public NDArray[] TheonCpu() => cpu(args);

    [Benchmark(Description = "Theon cpu, kernels only")]
    public NDArray[] TheonKernels() => kernels(args);

    [Benchmark(Description = "Theon reference")]
    public NDArray[] TheonReference() => reference(args);

    [Benchmark(Description = "TorchSharp")]
    public double Torch()
    {
        using var scope = torch.NewDisposeScope();
        var a1 = torch.sigmoid(tx.matmul(tw1) + tb1);
        var a2 = torch.sigmoid(tx.matmul(tw2) + tb1);
        var a3 = torch.sigmoid(torch.stack([a1, a2], 1).matmul(tw3) + tb2);
        var cost = -(ty * torch.log(a3) + (1 - ty) * torch.log(1 - a3)).sum();
        cost.backward();
        using (torch.no_grad())
        {
            foreach (var p in new[] { tw1, tw2, tw3, tb1, tb2 })
            {
                p.sub_(0.01 * p.grad!);
                p.grad!.zero_();
            }
        }
        return cost.item<double>();
    }

    [Benchmark(Description = "hand-written C#")]
    public double Hand() => hand.Step(X, Y);
}

/// <summary>The same step written out by hand: forward, backward and update for the 2-2-1 network.</summary>
internal sealed class HandWrittenXnor
{
    private readonly double[] w1 = [0.3, 0.7], w2 = [0.2, 0.9], w3 = [0.5, 0.4];
    private double b1 = 1, b2 = 1;

    public double Step(double[,] x, double[] y)
    {
        double cost = 0, g10 = 0, g11 = 0, g20 = 0, g21 = 0, g30 = 0, g31 = 0, gb1 = 0, gb2 = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var a1 = Sigmoid(x[i, 0] * w1[0] + x[i, 1] * w1[1] + b1);
            var a2 = Sigmoid(x[i, 0] * w2[0] + x[i, 1] * w2[1] + b1);
            var a3 = Sigmoid(a1 * w3[0] + a2 * w3[1] + b2);
            cost -= y[i] * Math.Log(a3) + (1 - y[i]) * Math.Log(1 - a3);
            var d3 = a3 - y[i];
            var d1 = d3 * w3[0] * a1 * (1 - a1);
            var d2 = d3 * w3[1] * a2 * (1 - a2);
            (g30, g31, gb2) = (g30 + d3 * a1, g31 + d3 * a2, gb2 + d3);
            (g10, g11, g20, g21, gb1) = (g10 + d1 * x[i, 0], g11 + d1 * x[i, 1], g20 + d2 * x[i, 0], g21 + d2 * x[i,
                1], gb1 + d1 + d2);
        }
        (w1[0], w1[1], w2[0], w2[1]) = (w1[0] - 0.01 * g10, w1[1] - 0.01 * g11, w2[0] - 0.01 * g20, w2[1] - 0.01 * g21);
        (w3[0], w3[1], b1, b2) = (w3[0] - 0.01 * g30, w3[1] - 0.01 * g31, b1 - 0.01 * gb1, b2 - 0.01 * gb2);
        return cost;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
