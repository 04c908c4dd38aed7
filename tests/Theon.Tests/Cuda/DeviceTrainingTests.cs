using Theon.Backends.Cuda;
using Theon.Backends.Cuda.Runtime;
using Theon.Compile;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// The CUDA backend's runtime on <see cref="Theon.Backends.Cuda.Emulation.EmulatedDevice"/>: the 05 notebook's training step (a minibatch sliced by
/// givens from a shared data set) against the CPU backend, what a steady call moves and allocates, and shared values
/// that live on the device: versions across backends, set_value, failed calls, swapped updates.
/// </summary>
public class DeviceTrainingTests
{
        private static void Close(NDArray expected, NDArray actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (e, a) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])), $"element {i}: {e[i]} vs {a[i]}");
    }

    [Fact]
    public void The_minibatch_step_trains_as_on_the_cpu()
    {
        var (cpu, device) = (new MinibatchRegression(CpuBackend()), new MinibatchRegression(Backends.Emulated()));

        for (var epoch = 0; epoch < 3; epoch++)
        {
            for (var i = 0; i < MinibatchRegression.Batches; i++) Assert.Equal(cpu.Step(i), device.Step(i), 1e-5);
        }

        Close(cpu.W.get_value(), device.W.get_value());
        Close(cpu.b.get_value(), device.b.get_value());
        Assert.Equal((double)cpu.Errors.Call([1])[0], (double)device.Errors.Call([1])[0], 1e-9);
    }

    [Fact]
    public void Nothing_of_the_training_graph_falls_back_to_the_host()
    {
        var model = new MinibatchRegression(Backends.Emulated());
        var plan = ((CudaExecutable)model.Train.Executable).Plan;

        Assert.Empty(ExecutionPlan.Fallbacks(plan).Select(n => n.op.Name));
        Assert.Contains(plan, s => s is PlanStep.OnDevice { Node.op: Theon.Ops.Subtensor });
    }

    [Fact]
    public void A_steady_training_call_allocates_nothing_uploads_nothing_and_downloads_the_cost()
    {
        var backend = Backends.Emulated();
        var model = new MinibatchRegression(backend);
        model.Step(0);
        model.Step(1);
        var before = backend.Device.Counts;

        model.Step(2);

        var call = backend.Device.Counts - before;
        Assert.Equal(0, call.Allocations);
        Assert.Equal(0, call.BytesToDevice);       // the index is only read by the slice bounds, on the host
        Assert.Equal(4 + 8, call.BytesToHost);     // the float32 cost and the int64 error flag of the label check
        Assert.Equal(1, call.Synchronizations);
    }

    [Fact]
    public void The_data_set_goes_up_once_and_parameters_stay_on_the_device()
    {
        var backend = Backends.Emulated();
        var model = new MinibatchRegression(backend);

        model.Step(0);
        var first = backend.Device.Counts.BytesToDevice;
        model.Step(1);

        // The data set, the labels and the parameters, then small constants and the row numbers of the batch.
        const int rows = MinibatchRegression.Rows, features = MinibatchRegression.Features;
        var large = rows * features * 4 + rows * 4 + (features * MinibatchRegression.Classes
            + MinibatchRegression.Classes) * 4;
        Assert.InRange(first, large, large + 1024);
        Assert.Equal(first, backend.Device.Counts.BytesToDevice);
        Assert.True(model.W.ReplicaIsCurrent);
        Assert.Null(model.W.HostValueIfCurrent);
    }

    [Fact]
    public void A_temporary_goes_back_to_the_arena_after_its_last_reader()
    {
        var a = matrix("a");
        var f = T.Compile([a], [sum(dot(a, a)) + sum(dot(a.T, a)) + sum(dot(a, a.T))], null, null,
            Backends.Emulated(), false);
        var input = np.ones([100, 100], "float64");

        Assert.Equal(3 * 100.0 * 100 * 100, (double)f.Call([input])[0], 1e-6);

        // Each sum reduces a product of 80 kB: three of them one after another, one at a time.
        Assert.InRange(((CudaExecutable)f.Executable).ArenaBytes, 80_000, 2 * 80_000);
    }

    [Fact]
    public void Device_memory_of_dropped_variables_and_functions_goes_back_to_the_pool()
    {
        var backend = Backends.Emulated();
        TrainAndDrop(backend);
        Collect();
        var before = backend.Device.Counts.Allocations;

        TrainAndDrop(backend);

        Assert.Equal(before, backend.Device.Counts.Allocations);
    }

    // A notebook cell run again: a new data set and a new function, the old ones dropped.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void TrainAndDrop(CudaBackend backend)
    {
        var data = shared(np.ones([64, 8], "float32"), "data");
        var w = shared(np.zeros([8], "float32"), "w");
        var train = T.Compile([], [sum(dot(data, w))], [(w, w + 1f)], null, backend, false);
        for (var i = 0; i < 3; i++) train.Call([]);
    }

    private static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [Fact]
    public void Values_move_between_backends_by_version()
    {
        var w = shared(NDArray.FromArray(new float[] { 1, 2, 3 }), "w");
        var x = fvector("x");
        var onDevice = T.Compile([x], [sum(w * x)], [(w, w + x)], null, Backends.Emulated(), false);
        var onCpu = T.Compile([x], [sum(w * x)], [(w, w * 2f)], null, CpuBackend(), false);
        var ones = NDArray.FromArray(new float[] { 1, 1, 1 });

        Assert.Equal(6.0, (double)onDevice.Call([ones])[0]);      // w = 2 3 4 on the device only
        Assert.Equal(9.0, (double)onCpu.Call([ones])[0]);         // the CPU reads 2 3 4; w = 4 6 8 on the host
        Assert.Equal(18.0, (double)onDevice.Call([ones])[0]);     // the device sees 4 6 8; w = 5 7 9
        Assert.Equal([5f, 7f, 9f], w.get_value().ToFlatArray<float>());
        w.set_value(NDArray.FromArray(new float[] { 0, 0, 1 }));
        Assert.Equal(1.0, (double)onDevice.Call([ones])[0]);
        Assert.Equal([1f, 1f, 2f], w.get_value().ToFlatArray<float>());
    }

    [Fact]
    public void A_bad_label_is_an_error_and_changes_no_shared_variable()
    {
        var backend = Backends.Emulated();
        var (x, y) = (fmatrix("x"), lvector("y"));
        var w = shared(np.ones([2, 3], "float32"), "w");
        var cost = -mean(log(nnet.softmax(dot(x, w)))[arange(y.shape[0]), y]);
        var train = T.Compile([x, y], [cost], [(w, w - 0.1f * grad(cost, w))], null, backend, false);
        var inputs = np.ones([4, 2], "float32");
        train.Call([inputs, NDArray.FromArray(new long[] { 0, 1, 2, 0 })]);
        var trained = w.get_value();

        var error = Assert.Throws<IndexOutOfRangeException>(() =>
            train.Call([inputs, NDArray.FromArray(new long[] { 0, 1, 7, 0 })]));

        Assert.Contains("position 2", error.Message);
        Assert.Equal(trained.ToFlatArray<float>(), w.get_value().ToFlatArray<float>());
        var labels = NDArray.FromArray(new long[] { 0, 1, 2, 0 });
        var expected = (double)T.Compile([x, y], [cost], null, null, CpuBackend(), false).Call([inputs, labels])[0];
        Assert.Equal(expected, (double)train.Call([inputs, labels])[0], 1e-6);
    }

    [Fact]
    public void An_update_of_the_wrong_shape_changes_nothing_on_either_side()
    {
        var a = shared(NDArray.FromArray(new double[] { 1, 2 }), "a");
        var b = shared(NDArray.FromArray(new double[] { 3, 4 }), "b");
        var v = vector("v");
        var f = T.Compile([v], [sum(v)], [(a, a + 1.0), (b, v)], null, Backends.Emulated(), false);
        f.Call([NDArray.FromArray(new double[] { 5, 6 })]);

        var error = Assert.Throws<ArgumentException>(() => f.Call([NDArray.FromArray(new double[] { 1, 2, 3 })]));

        Assert.Contains("no shared variable was changed", error.Message);
        Assert.Equal([2.0, 3.0], a.get_value().ToFlatArray<double>());
        Assert.Equal([5.0, 6.0], b.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void Swapped_updates_read_the_old_values()
    {
        var a = shared(NDArray.FromArray(new double[] { 1, 2 }), "a");
        var b = shared(NDArray.FromArray(new double[] { 3, 4 }), "b");
        var f = T.Compile([], [a], [(a, b), (b, a)], null, Backends.Emulated(), false);

        Assert.Equal([1.0, 2.0], f.Call([])[0].ToFlatArray<double>());
        Assert.Equal([3.0, 4.0], f.Call([])[0].ToFlatArray<double>());

        Assert.Equal([1.0, 2.0], a.get_value().ToFlatArray<double>());
        Assert.Equal([3.0, 4.0], b.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void Borrowed_outputs_are_the_functions_buffers_and_fresh_copies_otherwise()
    {
        var x = vector("x");
        var backend = Backends.Emulated();
        var borrowed = T.Compile([x], [x * 2.0], null, null, backend, borrow: true);
        var copied = T.Compile([x], [x * 2.0], null, null, backend, borrow: false);
        var input = NDArray.FromArray(new double[] { 1, 2 });

        Assert.Same(borrowed.Call([input])[0], borrowed.Call([input])[0]);
        Assert.NotSame(copied.Call([input])[0], copied.Call([input])[0]);
    }

    private static Backend CpuBackend() => Backend.Named("cpu");
}
