using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Conv;

/// <summary>
/// A small LeNet (two conv-pool layers, a tanh layer, softmax) trained by SGD: the CPU backend's kernels against the
/// reference backend step by step, a steady step allocates nothing, and the CUDA backend on the emulated device runs
/// the conv graph (on the host where it has no kernel) and gives the CPU's numbers.
/// </summary>
public class LeNetStepTests
{
    internal sealed record Model(FunctionN Step, SharedVariable[] Parameters, Variable X, Variable Y, Variable Cost);

    internal static Model Build(string backend, int filters1 = 4, int filters2 = 6, int hidden = 16, string poolMode = "max")
    {
        var state = np.random.RandomState(1234);
        var (x, y) = (fmatrix("x"), lvector("y"));
        SharedVariable Weights(string name, params int[] shape) =>
            shared(state.uniform(-0.2, 0.2, shape).astype("float32"), name: name);
        var w1 = Weights("W1", filters1, 1, 5, 5);
        var b1 = shared(np.zeros([filters1], "float32"), name: "b1");
        var w2 = Weights("W2", filters2, filters1, 5, 5);
        var b2 = shared(np.zeros([filters2], "float32"), name: "b2");
        var w3 = Weights("W3", filters2 * 4 * 4, hidden);
        var b3 = shared(np.zeros([hidden], "float32"), name: "b3");
        var w4 = Weights("W4", hidden, 10);
        var b4 = shared(np.zeros([10], "float32"), name: "b4");
        var images = reshape(x, stack([x.shape[0], constant(1L), constant(28L), constant(28L)]), 4);
        var c1 = nnet.conv2d(images, w1, filter_shape: [filters1, 1, 5, 5]);
        var h1 = tanh(signal.pool.pool_2d(c1, (2, 2), mode: poolMode) + b1.dimshuffle('x', 0, 'x', 'x'));
        var c2 = nnet.conv2d(h1, w2, filter_shape: [filters2, filters1, 5, 5]);
        var h2 = tanh(signal.pool.pool_2d(c2, (2, 2), mode: poolMode) + b2.dimshuffle('x', 0, 'x', 'x'));
        var h3 = tanh(dot(flatten(h2, 2), w3) + b3);
        var p = nnet.softmax(dot(h3, w4) + b4);
        var cost = mean(nnet.categorical_crossentropy(p, y));
        SharedVariable[] parameters = [w1, b1, w2, b2, w3, b3, w4, b4];
        var grads = grad(cost, [.. parameters]);
        var step = function([x, y], [cost], updates: [.. parameters.Select((w, i) => (w, w - 0.05f * grads[i]))],
            backend: backend, borrow: true);
        return new Model(step, parameters, x, y, cost);
    }

    internal static object[] Batch(int n, int seed = 7)
    {
        var state = np.random.RandomState(seed);
        return [state.uniform(0, 1, [n, 784]).astype("float32"), state.randint(0, 10, [n])];
    }

    [Theory]
    [InlineData("max")]
    [InlineData("average_exc_pad")]
    public void StepsMatchTheReferenceBackend(string poolMode)
    {
        var cpu = Build("cpu", poolMode: poolMode);
        var reference = Build("reference", poolMode: poolMode);
        for (var i = 0; i < 3; i++)
        {
            var args = Batch(5, seed: i);
            Assert.Equal((double)reference.Step(args)[0], (double)cpu.Step(args)[0], 1e-5);
        }
        for (var k = 0; k < cpu.Parameters.Length; k++)
        {
            Assert.Equal(reference.Parameters[k].get_value().ToFlatArray<float>(),
                cpu.Parameters[k].get_value().ToFlatArray<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Fact]
    public void TheStepUsesTheConvolutionOps()
    {
        var nodes = GraphWalk.TopoSort(CompiledFunction.Of(Build("cpu").Step).LoweredOutputs);
        Assert.Contains(nodes, n => n.op is AbstractConv2d);
        Assert.Contains(nodes, n => n.op is AbstractConv2dGradInputs);
        Assert.Equal(2, nodes.Count(n => n.op is AbstractConv2dGradWeights));
        Assert.Equal(2, nodes.Count(n => n.op is MaxPoolGrad));
    }

    // The whole step: the conv-pool layers, flatten's reshape and the dense layers.
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void SteadyLeNetStepAllocatesNothing(int batch)
    {
        var model = Build("cpu");
        var args = Batch(batch);
        for (var i = 0; i < 5; i++) model.Step(args);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++) model.Step(args);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The conv-pool layers' own step (4-d input, no reshape): at batch 32 the batch is split over the worker threads.
    [Theory]
    [InlineData(1, "max")]
    [InlineData(32, "max")]
    [InlineData(32, "average_inc_pad")]
    public void SteadyConvPoolStepAllocatesNothing(int batch, string poolMode)
    {
        var state = np.random.RandomState(3);
        var x = ftensor4("x");
        var w1 = shared(state.uniform(-0.2, 0.2, [4, 1, 5, 5]).astype("float32"), name: "W1");
        var w2 = shared(state.uniform(-0.2, 0.2, [6, 4, 3, 3]).astype("float32"), name: "W2");
        var h1 = tanh(signal.pool.pool_2d(nnet.conv2d(x, w1, border_mode: "half"), (2, 2), mode: poolMode));
        var h2 = tanh(signal.pool.pool_2d(nnet.conv2d(h1, w2, subsample: (2, 2)), (3, 3), stride: (1, 1), pad: (1, 1), mode: poolMode));
        var cost = sqr(h2).mean();
        var (g1, g2) = (grad(cost, w1), grad(cost, w2));
        var step = function([x], [cost], updates: [(w1, w1 - 0.1f * g1), (w2, w2 - 0.1f * g2)], borrow: true);
        object[] args = [state.uniform(0, 1, [batch, 1, 28, 28]).astype("float32")];
        for (var i = 0; i < 5; i++) step(args);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++) step(args);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheCudaBackendOnTheEmulatedDeviceGivesTheCpusNumbers()
    {
        var model = Build("cpu");
        var gradients = function([model.X, model.Y], [model.Cost, .. grad(model.Cost, [.. model.Parameters])]);
        var args = Batch(4);
        var expected = gradients(args);
        var actual = Cuda.Backends.On("emulated", gradients)(args);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].shape);
            Assert.Equal(expected[i].ToFlatArray<float>(), actual[i].ToFlatArray<float>(), (a, b) => Math.Abs(a - b) <= 1e-5f * (1 + Math.Abs(a)));
        }
    }
}
