using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.CpuBackend;

/// <summary>The benchmarks' 784-500-10 float32 MLP SGD step (tanh, softmax cross-entropy on int64 labels).</summary>
public class MlpStepTests
{
    internal static (FunctionN Step, SharedVariable[] Parameters) Build(string backend)
    {
        var state = np.random.RandomState(1234);
        var (x, y) = (fmatrix("x"), lvector("y"));
        var w1 = shared(state.uniform(-0.05, 0.05, [784, 500]).astype("float32"), name: "W1");
        var b1 = shared(np.zeros([500], "float32"), name: "b1");
        var w2 = shared(state.uniform(-0.05, 0.05, [500, 10]).astype("float32"), name: "W2");
        var b2 = shared(np.zeros([10], "float32"), name: "b2");
        var p = nnet.softmax(dot(tanh(dot(x, w1) + b1), w2) + b2);
        var cost = mean(nnet.categorical_crossentropy(p, y));
        SharedVariable[] parameters = [w1, b1, w2, b2];
        var grads = grad(cost, [.. parameters]);
        var step = function([x, y], [cost], updates: [.. parameters.Select((w, i) => (w, w - 0.01f * grads[i]))],
            backend: backend, borrow: true);
        return (step, parameters);
    }

    internal static object[] Batch(int n)
    {
        var state = np.random.RandomState(7);
        return [state.uniform(0, 1, [n, 784]).astype("float32"), state.randint(0, 10, [n])];
    }

    // At batch 256 the loops over the 256×500 hidden layer pass ElementwiseKernel's parallel threshold.
    [Theory]
    [InlineData(4)]
    [InlineData(256)]
    public void SteadyStateStepAllocatesNothing(int batch)
    {
        var (step, _) = Build("cpu");
        var nodes = GraphWalk.TopoSort(CompiledFunction.Of(step).OptimizedOutputs);
        Assert.Contains(nodes, n => n.op is CrossentropySoftmax1HotDx);
        var args = Batch(batch);
        for (var i = 0; i < 10; i++) step(args);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) step(args);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void StepsMatchTheReferenceBackend()
    {
        var (cpu, cpuParameters) = Build("cpu");
        var (reference, referenceParameters) = Build("reference");
        var args = Batch(6);
        for (var i = 0; i < 5; i++)
            Assert.Equal((double)reference(args)[0], (double)cpu(args)[0], 1e-5);
        for (var k = 0; k < cpuParameters.Length; k++)
        {
            Assert.Equal(referenceParameters[k].get_value().ToFlatArray<float>(),
                cpuParameters[k].get_value().ToFlatArray<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void CastOfAStridedIntegerArrayMatchesTheReference(string dtype)
    {
        var v = lmatrix("v");
        var converted = cast(v.T, dtype);
        var cpu = function([v], converted, backend: "cpu");
        var reference = function([v], converted, backend: "reference");
        var value = NDArray.FromArray(new long[,] { { 1, -2, 3 }, { 1L << 40, 5, -6 } });
        Assert.Equal(reference(value).astype("float64").ToFlatArray<double>(),
            cpu(value).astype("float64").ToFlatArray<double>());
        Assert.Equal(dtype, cpu(value).dtype.ToString());
    }
}
