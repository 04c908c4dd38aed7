using System.Diagnostics;
using static Theon.T;

namespace Theon.CudaProbe;

/// <summary>A training step of a notebook, built for a backend as a function of the minibatch number.</summary>
public sealed record TrainingStep(string Name, Func<string, Func<int, double>> Build,
    Func<string, Func<int, double>> BuildValidation)
{
    /// <summary>Runs the step on the CPU and on CUDA from the same initial values; the largest relative difference of
    /// the costs.</summary>
    public double CompareWithCpu(int steps)
    {
        var (cpu, cuda) = (Build("cpu"), Build("cuda"));
        var error = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var (e, a) = (cpu(i), cuda(i));
            error = Math.Max(error, Math.Abs(e - a) / (1 + Math.Abs(e)));
        }
        return error;
    }
}

public static class TrainingSteps
{
    public static IEnumerable<TrainingStep> All() =>
    [
        new("05 minibatch 600 of 50000x784, softmax regression", b => Regression(b, validation: false),
            b => Regression(b, validation: true)),
        new("MLP 784-500-10 tanh, batch 256", Mlp, Mlp),
        new("XNOR walkthrough (float64)", Xnor, Xnor),
        new("Elman RNN 100 steps, batch 32, 64-128-16, scan fwd+BPTT+SGD", Rnn, Rnn),
        new("LeNet 08, batch 500", b => LeNetStep.Build(b, 500), b => LeNetStep.Build(b, 500)),
        new("LeNet 08, batch 64", b => LeNetStep.Build(b, 64), b => LeNetStep.Build(b, 64)),
    ];

    // The 05 notebook's train_model (and validate_model) on random data of the tutorial's size (each backend its
    // own copy, so that the two trainings do not share parameters).
    private static Func<int, double> Regression(string backend, bool validation)
    {
        var state = np.random.RandomState(3);
        var data = shared(state.uniform(0, 1, [50000, 784]).astype("float32"), borrow: true);
        var labels = shared(state.randint(0, 10, [50000]).astype("int32"), borrow: true);
        var (index, x, y) = (lscalar("index"), fmatrix("x"), ivector("y"));
        var W = shared(np.zeros([784, 10], "float32"), name: "W");
        var b = shared(np.zeros([10], "float32"), name: "b");
        var p = nnet.softmax(dot(x, W) + b);
        var cost = -mean(log(p)[arange(y.shape[0]), y]);
        Variable Batch(Variable v) => v[slice(index * 600, (index + 1) * 600)];
        (Variable, Variable)[] givens = [(x, Batch(data)), (y, Batch(labels))];
        var f = validation
            ? function([index], mean(neq(argmax(p, axis: 1), y)), givens: givens, backend: backend)
            : function([index], cost, updates: [(W, W - 0.13f * grad(cost, W)), (b, b - 0.13f * grad(cost, b))],
                givens: givens, backend: backend);
        return i => (double)f(i % 83);
    }

    private static Func<int, double> Mlp(string backend)
    {
        var state = np.random.RandomState(1234);
        var (x, y) = (fmatrix("x"), lvector("y"));
        var w1 = shared(state.uniform(-0.05, 0.05, [784, 500]).astype("float32"), name: "W1");
        var b1 = shared(np.zeros([500], "float32"), name: "b1");
        var w2 = shared(state.uniform(-0.05, 0.05, [500, 10]).astype("float32"), name: "W2");
        var b2 = shared(np.zeros([10], "float32"), name: "b2");
        var cost = mean(nnet.categorical_crossentropy(nnet.softmax(dot(tanh(dot(x, w1) + b1), w2) + b2), y));
        SharedVariable[] parameters = [w1, b1, w2, b2];
        var grads = grad(cost, [.. parameters]);
        var f = function([x, y], cost, updates: [.. parameters.Select((w, i) => (w, w - 0.01f * grads[i]))],
            backend: backend);
        var batch = state.uniform(0, 1, [256, 784]).astype("float32");
        var targets = state.randint(0, 10, [256]);
        return _ => (double)f(batch, targets);
    }

    // The RNN training step of tests/Theon.Benchmarks/ScanBenchmarks.cs: two scans (forward, and BPTT as the
    // gradient's scan) run on the device, the step of each built once into a device executable of its own.
    private static Func<int, double> Rnn(string backend)
    {
        const int steps = 100, batch = 32, inputs = 64, hidden = 128, readout = 16;
        var state = np.random.RandomState(1234);
        var W = shared(state.uniform(-0.1, 0.1, [inputs, hidden]).astype("float32"), "W");
        var U = shared(state.uniform(-0.1, 0.1, [hidden, hidden]).astype("float32"), "U");
        var V = shared(state.uniform(-0.1, 0.1, [hidden, readout]).astype("float32"), "V");
        var b = shared(np.zeros([hidden], "float32"), "b");
        var data = state.uniform(-1, 1, [steps, batch, inputs]).astype("float32");
        var target = state.uniform(-1, 1, [steps, batch, readout]).astype("float32");
        var (x, y, h0) = (ftensor3("x"), ftensor3("y"), fmatrix("h0"));
        var (outputs, _) = scan((xt, hPrev) =>
        {
            var h = tanh(dot(xt, W) + dot(hPrev, U) + b);
            return [h, dot(h, V)];
        }, sequences: x, outputs_info: [h0, null]);
        var cost = mean(sqr(outputs[1] - y));
        SharedVariable[] parameters = [W, U, b, V];
        var grads = grad(cost, [.. parameters]);
        var f = function([x, y, h0], cost, updates: [.. parameters.Select((p, i) => (p, p - 0.01f * grads[i]))],
            backend: backend);
        var zeros = np.zeros([batch, hidden], "float32");
        return _ => (double)f(data, target, zeros);
    }

    private static Func<int, double> Xnor(string backend)
    {
        var rng = new Random(2);
        double R() => rng.NextDouble();
        var x = matrix("x");
        var (w1, w2, w3) = (shared(new[] { R(), R() }), shared(new[] { R(), R() }), shared(new[] { R(), R() }));
        var (b1, b2) = (shared(1.0), shared(1.0));
        var a1 = 1 / (1 + exp(-dot(x, w1) - b1));
        var a2 = 1 / (1 + exp(-dot(x, w2) - b1));
        var a3 = 1 / (1 + exp(-dot(stack([a1, a2], axis: 1), w3) - b2));
        var target = vector("a_hat");
        var cost = -(target * log(a3) + (1 - target) * log(1 - a3)).sum();
        SharedVariable[] parameters = [w1, w2, w3, b1, b2];
        var grads = grad(cost, [.. parameters]);
        var f = function([x, target], cost, updates: [.. parameters.Select((w, i) => (w, w - 0.01 * grads[i]))],
            backend: backend);
        var inputs = NDArray.FromArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var targets = NDArray.FromArray(new double[] { 1, 0, 0, 1 });
        return _ => (double)f(inputs, targets);
    }
}

public static class Timing
{
    /// <summary>The median wall-clock time of <paramref name="calls"/> calls (each call synchronizes: it returns a
    /// value read back from the device).</summary>
    public static double MedianMilliseconds(Action<int> call, int calls)
    {
        var times = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[calls / 2];
    }
}
