using Theon.Backends.Cuda.Runtime;
using Theon.Tests.CpuBackend;

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
        var (cpu, cpuParameters) = MlpStepTests.Build("cpu");
        var (device, deviceParameters) = MlpStepTests.Build("cpu");
        var onDevice = CompiledFunction.Of(device).On(Backends.Emulated());
        var batch = MlpStepTests.Batch(4);

        Assert.Empty(ExecutionPlan.Fallbacks(Executable(onDevice).Plan).Select(n => n.op.Name));
        for (var step = 0; step < 3; step++)
            Assert.Equal((double)cpu(batch)[0], (double)onDevice.Call(batch)[0], 1e-5);
        for (var k = 0; k < cpuParameters.Length; k++)
        {
            Assert.Equal(cpuParameters[k].get_value().ToFlatArray<float>(),
                deviceParameters[k].get_value().ToFlatArray<float>(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }
}
