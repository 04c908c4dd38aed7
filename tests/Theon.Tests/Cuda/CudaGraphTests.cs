using Theon.Values;
using Theon.Backends.Cuda.Runtime;
using Theon.Compile;
using Theon.Tests.CpuBackend;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// CUDA graphs on the emulated device, whose capture records the work and whose replay runs it, as a stream capture
/// does: a call is captured the second time its key comes, then replayed; replays train as the CPU does and move
/// only the arguments and outputs.
/// </summary>
public class CudaGraphTests
{
    private static CudaExecutable Executable(CompiledFunction f) => Assert.IsType<CudaExecutable>(f.Executable);

    [Fact]
    public void A_steady_xnor_step_is_one_replay_and_trains_as_on_the_cpu()
    {
        var backend = Backends.Emulated();
        var (cpu, device) = (new Xnor("cpu"), new Xnor("cpu"));
        var onDevice = CompiledFunction.Of(device.Train).On(backend);

        for (var step = 0; step < 40; step++)
        {
            var expected = cpu.Train(Xnor.Inputs, Xnor.Targets);
            var actual = onDevice.Call([Xnor.Inputs, Xnor.Targets]);
            Assert.Equal((double)expected[1], (double)actual[1], 1e-12);
            Assert.Equal(expected[0].ToFlatArray<double>(), actual[0].ToFlatArray<double>(),
                (a, b) => Math.Abs(a - b) < 1e-12);
        }
        var before = backend.Device.Counts;
        onDevice.Call([Xnor.Inputs, Xnor.Targets]);
        var call = backend.Device.Counts - before;
        cpu.Train(Xnor.Inputs, Xnor.Targets);

        Assert.Equal(cpu.Parameters(), device.Parameters(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(2, Executable(onDevice).GraphCount);   // the update buffers alternate: two graphs
        Assert.Equal(1, call.Replays);
        Assert.Equal(0, call.Launches);
        Assert.Equal(0, call.Allocations);
        Assert.Equal(4 * 2 * 8 + 4 * 8, call.BytesToDevice);   // the inputs and targets
        Assert.Equal(4 * 8 + 8, call.BytesToHost);             // a3 and the cost
        Assert.Equal(1, call.Synchronizations);
    }

    [Fact]
    public void Each_minibatch_of_the_05_step_gets_its_graphs_and_replays_train_as_on_the_cpu()
    {
        var backend = Backends.Emulated();
        var (cpu, device) = (new MinibatchRegression(Backend.Named("cpu")), new MinibatchRegression(backend));

        for (var epoch = 0; epoch < 4; epoch++)
        {
            for (var i = 0; i < MinibatchRegression.Batches; i++) Assert.Equal(cpu.Step(i), device.Step(i), 1e-5);
        }
        var before = backend.Device.Counts;
        Assert.Equal(cpu.Step(0), device.Step(0), 1e-5);
        var call = backend.Device.Counts - before;

        Assert.Equal(1, call.Replays);
        Assert.Equal(0, call.Launches);
        Assert.Equal(0, call.BytesToDevice);
        Assert.Equal(4 + 8, call.BytesToHost);
        Assert.Equal(cpu.W.get_value().ToFlatArray<float>(), device.W.get_value().ToFlatArray<float>(),
            (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.InRange(Executable(device.Train).GraphCount, MinibatchRegression.Batches,
            2 * MinibatchRegression.Batches);
    }

    [Fact]
    public void A_value_set_between_replays_is_read_by_the_next_one()
    {
        var w = shared(NDArray.FromArray(new double[] { 1, 2 }), "w");
        var x = vector("x");
        var f = T.Compile([x], [sum(w * x)], [(w, w * 2.0)], null, Backends.Emulated(), false);
        var ones = NDArray.FromArray(new double[] { 1, 1 });
        for (var i = 0; i < 6; i++) f.Call([ones]);   // w = (64, 128), replayed by now
        Assert.Equal(2, Executable(f).GraphCount);

        w.set_value(NDArray.FromArray(new double[] { 1, 0 }));
        var afterSet = (double)f.Call([ones])[0];
        var onCpu = T.Compile([x], [sum(w * x)], [(w, w * 2.0)], null, Backend.Named("cpu"), false);

        Assert.Equal(1.0, afterSet);
        Assert.Equal(2.0, (double)onCpu.Call([ones])[0]);   // the CPU reads the device's update: w = (2, 0)
        Assert.Equal(4.0, (double)f.Call([ones])[0]);       // and the device reads the CPU's: w = (4, 0)
        Assert.Equal([8.0, 0.0], w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void An_output_that_is_a_transposed_view_comes_back_through_the_graph()
    {
        var w = shared(NDArray.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }), "w");
        var x = matrix("x");
        var f = T.Compile([x], [(w * x).T], [(w, w + 1.0)], null, Backends.Emulated(), false);
        var ones = np.ones([2, 3], "float64");

        for (var i = 0; i < 6; i++)
        {
            var expected = ArrayMath.Add(NDArray.FromArray(new double[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }),
                NDArray.Scalar((double)i, DType.Float64));
            Assert.Equal(expected.ToFlatArray<double>(), f.Call([ones])[0].ToFlatArray<double>());
        }
        Assert.Equal(2, Executable(f).GraphCount);
    }

    [Fact]
    public void A_value_computed_on_the_host_goes_up_again_before_a_replay_that_reads_it()
    {
        var w = shared(NDArray.FromArray(new double[] { 1, 1 }), "w");
        var i = lscalar("i");
        var f = T.Compile([i], [sum(w * cast(i, "float64"))], null, null, Backends.Emulated(), false);

        // 1 is captured on its second call and replayed after 2 has put its own value in the buffer; 2's first
        // capture needs an upload, so it waits for a call that follows 2.
        double[] sums = [.. new long[] { 1, 1, 1, 2, 1, 2, 2, 2, 2, 1 }.Select(k => (double)f.Call([NDArray.Scalar(k,
            DType.Int64)])[0])];

        Assert.Equal([2.0, 2, 2, 4, 2, 4, 4, 4, 4, 2], sums);
        Assert.Equal(2, Executable(f).GraphCount);
    }

    [Fact]
    public void A_scalar_argument_read_on_the_device_goes_up_before_the_replay()
    {
        var w = shared(NDArray.FromArray(new double[] { 8, 8 }), "w");
        var rate = dscalar("rate");
        var f = T.Compile([rate], [sum(w)], [(w, w - rate * w)], null, Backends.Emulated(), false);

        for (var k = 0; k < 6; k++) f.Call([NDArray.Scalar(0.5, DType.Float64)]);

        Assert.Equal([0.125, 0.125], w.get_value().ToFlatArray<double>());
        Assert.Equal(2, Executable(f).GraphCount);
    }

    [Fact]
    public void A_call_that_reads_a_device_value_on_the_host_runs_without_a_graph()
    {
        var (v, m) = (vector("v"), matrix("m"));
        var f = T.Compile([v, m], [m[argmax(v)] * 2.0], null, null, Backends.Emulated(), false);
        var matrixValue = NDArray.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });

        for (var i = 0; i < 4; i++)
        {
            var result = f.Call([NDArray.FromArray(new double[] { i % 2, 1 - i % 2 }), matrixValue])[0];
            Assert.Equal(i % 2 == 0 ? [6.0, 8.0] : [2.0, 4.0], result.ToFlatArray<double>());
        }
        Assert.Equal(0, Executable(f).GraphCount);
    }

    [Fact]
    public void A_bad_label_in_a_replay_is_an_error_and_changes_nothing()
    {
        var (x, y) = (fmatrix("x"), lvector("y"));
        var w = shared(np.ones([2, 3], "float32"), "w");
        var cost = -mean(log(nnet.softmax(dot(x, w)))[arange(y.shape[0]), y]);
        var train = T.Compile([x, y], [cost], [(w, w - 0.1f * grad(cost, w))], null, Backends.Emulated(), false);
        var inputs = np.ones([4, 2], "float32");
        var good = NDArray.FromArray(new long[] { 0, 1, 2, 0 });
        for (var i = 0; i < 6; i++) train.Call([inputs, good]);
        Assert.Equal(2, Executable(train).GraphCount);
        var trained = w.get_value();

        Assert.Throws<IndexOutOfRangeException>(() =>
            train.Call([inputs, NDArray.FromArray(new long[] { 0, 1, 9, 0 })]));

        Assert.Equal(trained.ToFlatArray<float>(), w.get_value().ToFlatArray<float>());
    }
}
