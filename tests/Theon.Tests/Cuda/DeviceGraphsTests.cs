using Theon.Backends.Cuda.Runtime;
using Theon.Tests.CpuBackend;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// The walkthroughs' training steps (XNOR from 03, the 784-500-10 MLP of 04 and 07) on the CUDA backend's runtime
/// (host device): no op falls back to the host, and the steps match the CPU backend's.
/// </summary>
public class DeviceGraphsTests
{
    private static CudaExecutable Executable(CompiledFunction f) => Assert.IsType<CudaExecutable>(f.Executable);

    [Fact]
    public void The_xnor_step_runs_wholly_on_the_device_and_matches_the_cpu()
    {
        var (cpu, device) = (new Xnor("cpu"), new Xnor("cpu"));
        var onDevice = CompiledFunction.Of(device.Train).On(Backends.Emulated());

        Assert.Empty(ExecutionPlan.Fallbacks(Executable(onDevice).Plan).Select(n => n.op.Name));
        for (var step = 0; step < 20; step++)
        {
            var expected = cpu.Train(Xnor.Inputs, Xnor.Targets);
            var actual = onDevice.Call([Xnor.Inputs, Xnor.Targets]);
            Assert.Equal((double)expected[1], (double)actual[1], 1e-12);
        }
        Assert.Equal(cpu.Parameters(), device.Parameters(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void The_mlp_step_runs_wholly_on_the_device_and_matches_the_cpu()
    {
        var (cpu, cpuParameters) = Mlp();
        var (device, deviceParameters) = Mlp();
        var onDevice = CompiledFunction.Of(device).On(Backends.Emulated());
        var state = np.random.RandomState(7);
        object[] batch = [state.uniform(0, 1, [4, 784]).astype("float32"), state.randint(0, 10, [4])];

        Assert.Empty(ExecutionPlan.Fallbacks(Executable(onDevice).Plan).Select(n => n.op.Name));
        for (var step = 0; step < 3; step++)
            Assert.Equal((double)cpu(batch)[0], (double)onDevice.Call(batch)[0], 1e-5);
        for (var k = 0; k < cpuParameters.Length; k++)
        {
            Assert.Equal(cpuParameters[k].get_value().ToFlatArray<float>(),
                deviceParameters[k].get_value().ToFlatArray<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    private static (FunctionN Step, SharedVariable[] Parameters) Mlp()
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
        return (function([x, y], [cost], updates: [.. parameters.Select((w, i) => (w, w - 0.01f * grads[i]))],
            backend: "cpu"), parameters);
    }
}
