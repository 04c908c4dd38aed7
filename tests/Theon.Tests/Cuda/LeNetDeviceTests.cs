using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using Theon.Tests.Conv;

namespace Theon.Tests.Cuda;

/// <summary>
/// The LeNet training step of <see cref="LeNetStepTests"/> (two conv-pool layers, a tanh layer, softmax, SGD) on the
/// emulated device (and a GPU where there is one, for the steps against the CPU): every node on the device, steps and parameters equal to the CPU's, a steady step that allocates
/// nothing and uploads only its minibatch, and its CUDA-graph replay.
/// </summary>
public class LeNetDeviceTests
{
    private const int Batch = 6;

    private static (LeNetStepTests.Model Cpu, LeNetStepTests.Model Device, CompiledFunction OnDevice,
        Theon.Backends.Cuda.CudaBackend Backend) Pair()
    {
        var backend = Backends.Emulated();
        var (cpu, device) = (LeNetStepTests.Build("cpu"), LeNetStepTests.Build("cpu"));
        return (cpu, device, CompiledFunction.Of(device.Step).On(backend), backend);
    }

    private static void SameParameters(LeNetStepTests.Model cpu, LeNetStepTests.Model device)
    {
        for (var k = 0; k < cpu.Parameters.Length; k++)
            Assert.Equal(cpu.Parameters[k].get_value().ToFlatArray<float>(),
                device.Parameters[k].get_value().ToFlatArray<float>(),
                (a, b) => Math.Abs(a - b) <= 1e-5f * (1 + Math.Abs(a)));
    }

    [Fact]
    public void Nothing_of_the_lenet_step_falls_back_to_the_host()
    {
        var (_, _, onDevice, _) = Pair();
        var plan = Assert.IsType<CudaExecutable>(onDevice.Executable).Plan;

        Assert.Empty(ExecutionPlan.Fallbacks(plan).Select(n => n.op.Name));
        foreach (var op in new[] { typeof(AbstractConv2d), typeof(AbstractConv2dGradInputs),
                     typeof(AbstractConv2dGradWeights), typeof(Pool), typeof(MaxPoolGrad) })
            Assert.Contains(plan, s => s is PlanStep.OnDevice d && d.Node.op.GetType() == op);
    }

    [Theory]
    [InlineData("emulated", "max")]
    [InlineData("emulated", "average_inc_pad")]
    [InlineData("cuda", "max")]
    public void Lenet_steps_on_the_device_train_as_on_the_cpu(string backend, string poolMode)
    {
        var (cpu, device) = (LeNetStepTests.Build("cpu", poolMode: poolMode),
            LeNetStepTests.Build("cpu", poolMode: poolMode));
        var onDevice = CompiledFunction.Of(device.Step).On(Backends.Named(backend));
        for (var i = 0; i < 4; i++)
        {
            var args = LeNetStepTests.Batch(Batch, seed: i);
            Assert.Equal((double)cpu.Step(args)[0], (double)onDevice.Call(args)[0], 1e-5);
        }
        SameParameters(cpu, device);
    }

    [Fact]
    public void A_steady_lenet_step_allocates_nothing_and_uploads_only_its_minibatch()
    {
        var (_, _, onDevice, backend) = Pair();
        var args = LeNetStepTests.Batch(Batch);
        for (var i = 0; i < 4; i++) onDevice.Call(args);
        var before = backend.Device.Counts;

        onDevice.Call(args);

        var call = backend.Device.Counts - before;
        Assert.Equal(0, call.Allocations);
        Assert.Equal(Batch * 784 * 4 + Batch * 8, call.BytesToDevice);   // the images and the labels: no weights
        Assert.Equal(4 + 8, call.BytesToHost);                             // the cost and the label check's flag
        Assert.Equal(1, call.Synchronizations);
    }

    [Fact]
    public void A_replayed_lenet_step_trains_as_on_the_cpu()
    {
        var (cpu, device, onDevice, backend) = Pair();
        for (var i = 0; i < 6; i++)
        {
            var args = LeNetStepTests.Batch(Batch, seed: i % 2);
            Assert.Equal((double)cpu.Step(args)[0], (double)onDevice.Call(args)[0], 1e-5);
        }
        var last = LeNetStepTests.Batch(Batch, seed: 0);
        var before = backend.Device.Counts;
        var cost = (double)onDevice.Call(last)[0];
        var call = backend.Device.Counts - before;

        Assert.Equal((double)cpu.Step(last)[0], cost, 1e-5);
        Assert.Equal(1, call.Replays);
        Assert.Equal(0, call.Launches);
        Assert.Equal(0, call.Allocations);
        Assert.InRange(Assert.IsType<CudaExecutable>(onDevice.Executable).GraphCount, 1, 2);
        SameParameters(cpu, device);
    }
}
