using static Theon.T;

namespace Theon.CudaProbe;

/// <summary>
/// The LeNet of notebook 08 and of <c>LeNetBenchmarks</c> (conv 20 5×5, max-pool 2×2, tanh, conv 50 5×5, max-pool,
/// tanh, 800-500 tanh, softmax; float32), one SGD step on a fixed minibatch, as tests/gpu/torch_peers.py has it.
/// </summary>
public static class LeNetStep
{
    public static Func<int, double> Build(string backend, int batch)
    {
        var (step, args) = Compile(backend, batch);
        return _ => (double)step(args)[0];
    }

    /// <summary>The step function and its arguments (the minibatch and its labels).</summary>
    public static (FunctionN Step, object[] Args) Compile(string backend, int batch)
    {
        var state = np.random.RandomState(23455);
        NDArray[] initial =
        [
            state.uniform(-0.1, 0.1, [20, 1, 5, 5]).astype("float32"), np.zeros([20], "float32"),
            state.uniform(-0.05, 0.05, [50, 20, 5, 5]).astype("float32"), np.zeros([50], "float32"),
            state.uniform(-0.05, 0.05, [800, 500]).astype("float32"), np.zeros([500], "float32"),
            state.uniform(-0.1, 0.1, [500, 10]).astype("float32"), np.zeros([10], "float32"),
        ];
        var data = state.uniform(0, 1, [batch, 1, 28, 28]).astype("float32");
        var labels = state.randint(0, 10, [batch]);
        var (x, y) = (ftensor4("x"), lvector("y"));
        var p = initial.Select((v, i) => shared(v, name: $"p{i}")).ToArray();
        var h0 = tanh(signal.pool.pool_2d(nnet.conv2d(x, p[0], filter_shape: [20, 1, 5, 5]), (2, 2))
            + p[1].dimshuffle('x', 0, 'x', 'x'));
        var h1 = tanh(signal.pool.pool_2d(nnet.conv2d(h0, p[2], filter_shape: [50, 20, 5, 5]), (2, 2))
            + p[3].dimshuffle('x', 0, 'x', 'x'));
        var h2 = tanh(dot(flatten(h1, 2), p[4]) + p[5]);
        var cost = mean(nnet.categorical_crossentropy(nnet.softmax(dot(h2, p[6]) + p[7]), y));
        var grads = grad(cost, [.. p]);
        var f = function([x, y], [cost], updates: [.. p.Select((v, i) => (v, v - 0.1f * grads[i]))],
            backend: backend, borrow: true);
        return (f, [data, labels]);
    }
}
