using Theon.Backends.Cuda;
using Theon.Backends.Cuda.Runtime;
using Theon.Compile;
using Theon.Tests.Gradient;
using Theon.Tests.Scan;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// Scan on the CUDA backend (emulated device): the step built once into a device executable of its own, the loop run
/// on the device. Every idiom of the CPU scan tests gives the CPU's numbers; the gradients pass a finite-difference
/// check run on the device; nothing of an RNN training graph falls back to the host, and a steady training call
/// allocates nothing, uploads only its arguments and is one graph replay.
/// </summary>
public class ScanDeviceTests
{
    private static readonly GradientPoints Points = new(31);
    private static readonly IEqualityComparer<double> Close = new ScanIdiomTests.Tolerance(1e-9);

    /// <summary>The CPU backend's results and the emulated device's for the same graph and arguments; the device
    /// plan (outer and steps) has no fallback.</summary>
    private static void SameAsCpu(Variable[] inputs, Variable[] outputs, params object[] arguments)
    {
        var cpu = T.Compile(inputs, outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = T.Compile(inputs, outputs, null, null, Backends.Emulated(), false);
        Assert.Empty(Fallbacks((CudaExecutable)device.Executable));
        for (var call = 0; call < 2; call++)
            Same(cpu.Call(arguments), device.Call(arguments));
    }

    private static void Same(NDArray[] expected, NDArray[] actual, IEqualityComparer<double>? close = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].DType, actual[k].DType);
            Assert.Equal(expected[k].shape, actual[k].shape);
            Assert.Equal(expected[k].ToFlatArray<double>(), actual[k].ToFlatArray<double>(), close ?? Close);
        }
    }

    /// <summary>The executable of every scan step in <paramref name="executable"/>'s plan, nested ones included.</summary>
    private static IEnumerable<CudaExecutable> Steps(CudaExecutable executable) =>
        executable.Scans.Values.SelectMany(s => (IEnumerable<CudaExecutable>)[s.Step, .. Steps(s.Step)]);

    private static IEnumerable<string> Fallbacks(CudaExecutable executable) =>
        ((IEnumerable<CudaExecutable>)[executable, .. Steps(executable)])
        .SelectMany(e => ExecutionPlan.Fallbacks(e.Plan)).Select(n => n.op.Name);

    /// <summary>
    /// Theano's verify_grad run on the device: the symbolic gradient of a random projection of <paramref name="fun"/>
    /// against central differences (eps 1e-6, float64), both computed by the emulated device.
    /// </summary>
    private static void VerifyGradOnDevice(Func<Variable[], Variable> fun, NDArray[] points)
    {
        var inputs = points.Select((p, i) => new Variable(new TensorType(DType.Float64, p.shape.Select(n => n == 1)),
            name: $"input{i}")).ToArray();
        var output = fun(inputs);
        var random = new Random(7);
        var backend = Backends.Emulated();
        var shape = T.Compile(inputs, [output], null, null, backend, false).Call([.. points.Cast<object>()])[0].shape;
        var projection = NDArray.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b))
            .Select(_ => random.NextDouble() + 0.5).ToArray()).reshape(shape);
        var cost = sum(output * constant(projection));
        var costOf = T.Compile(inputs, [cost], null, null, backend, false);
        var gradients = T.Compile(inputs, grad(cost, inputs), null, null, backend, false);
        Assert.Empty(Fallbacks((CudaExecutable)gradients.Executable));
        var symbolic = gradients.Call([.. points.Cast<object>()]);
        const double eps = 1e-6;
        for (var i = 0; i < points.Length; i++)
        {
            var flat = points[i].ToFlatArray<double>();
            for (var k = 0; k < flat.Length; k++)
            {
                double At(double delta)
                {
                    var shifted = (double[])flat.Clone();
                    shifted[k] += delta;
                    object[] args = [.. points.Select((p, j) => (object)(j == i
                        ? NDArray.FromArray(shifted).reshape(p.shape) : p))];
                    return (double)costOf.Call(args)[0];
                }
                var numeric = (At(eps) - At(-eps)) / (2 * eps);
                var analytic = symbolic[i].ToFlatArray<double>()[k];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-4 * Math.Max(1, Math.Abs(numeric) + Math.Abs(analytic)),
                    $"input {i} element {k}: {analytic} symbolically, {numeric} by finite differences");
            }
        }
    }

    private static Variable Power(Variable a, Variable k)
    {
        var (result, _) = scan((prior, v) => prior * v, outputs_info: ones_like(a), non_sequences: a, n_steps: k);
        return result;
    }

    [Fact]
    public void Power_rows_and_last_row()
    {
        var (a, k) = (dvector("A"), iscalar("k"));
        SameAsCpu([a, k], [Power(a, k), Power(a, k)[-1]], Points.Normal(6), 3);
        SameAsCpu([a, k], [Power(a, k)], Points.Normal(2), 0);
    }

    [Fact]
    public void Power_second_derivative() =>
        VerifyGradOnDevice(x => grad(Power(x[0], constant(3))[-1].sum(), x[0]), [Points.Normal(4)]);

    [Fact]
    public void Polynomial_over_two_sequences()
    {
        var (coefficients, x) = (dvector("coefficients"), dscalar("x"));
        var (components, _) = scan((coefficient, power, free) => coefficient * pow(free, power),
            sequences: [coefficients, arange(constant(10000))], outputs_info: null, non_sequences: x);
        SameAsCpu([coefficients, x], [components, components.sum(), grad(components.sum(), [coefficients, x])[1]],
            Points.Normal(7), 1.3);
    }

    [Fact]
    public void Cumulative_sums_of_integers_and_of_rows()
    {
        var upTo = iscalar("up_to");
        var (sums, _) = scan((v, acc) => acc + v, sequences: arange(upTo), outputs_info: constant(NDArray.Scalar(0L)));
        var device = T.Compile([upTo], [sums], null, null, Backends.Emulated(), false);
        Assert.Equal(new long[] { 0, 1, 3, 6, 10 }, device.Call([5])[0].ToFlatArray<long>());

        var x = dmatrix("x");
        var (rows, _) = scan((v, acc) => acc + v, sequences: x, outputs_info: zeros_like(x[0]));
        var value = Points.Normal(5, 3);
        var expected = new double[15];
        for (var t = 0; t < 5; t++)
        for (var j = 0; j < 3; j++)
            expected[t * 3 + j] = value.GetItem<double>(t, j) + (t > 0 ? expected[(t - 1) * 3 + j] : 0);
        var got = T.Compile([x], [rows], null, null, Backends.Emulated(), false).Call([value])[0];
        Assert.Equal(expected, got.ToFlatArray<double>(), Close);
    }

    [Fact]
    public void Cumulative_sum_gradient() => VerifyGradOnDevice(v =>
    {
        var (rows, _) = scan((r, acc) => acc + r * r, sequences: v[0], outputs_info: zeros_like(v[0][0]));
        return rows;
    }, [Points.Normal(6, 2)]);

    private static Variable[] ElmanInputs() =>
        [dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V")];

    [Fact]
    public void Elman_rnn_forward_against_a_loop_and_the_cpu()
    {
        var point = ScanIdiomTests.ElmanPoint(Points, steps: 6);
        var inputs = ElmanInputs();
        var (h, y) = ScanIdiomTests.Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
        var device = T.Compile(inputs, [h, y], null, null, Backends.Emulated(), false);
        var expected = ScanIdiomTests.ElmanLoop(point[0], point[1], point[2], point[3], point[4], point[5]);
        Assert.Equal(expected.Cast<double>(), device.Call([.. point.Cast<object>()])[1].ToFlatArray<double>(), Close);
        SameAsCpu(inputs, [h, y], [.. point.Cast<object>()]);
    }

    /// <summary>Back-propagation through time: the gradient's scan runs on the device too.</summary>
    [Fact]
    public void Elman_rnn_bptt_gradient()
    {
        var inputs = ElmanInputs();
        var (h, y) = ScanIdiomTests.Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
        var cost = sqr(y).sum() + h[-1].sum();
        SameAsCpu(inputs, [y, .. grad(cost, inputs)], [.. ScanIdiomTests.ElmanPoint(Points, steps: 5).Cast<object>()]);
        VerifyGradOnDevice(x => ScanIdiomTests.Elman(x[0], x[1], x[2], x[3], x[4], x[5]).Y,
            ScanIdiomTests.ElmanPoint(Points, steps: 3, batch: 1, inputs: 2, hidden: 2, outputs: 1));
    }

    private static Variable TwoTapRecurrence(Variable x0, Variable a)
    {
        var (rows, _) = scan((older, previous, w) => w * older + tanh(previous),
            outputs_info: dict(initial: x0, taps: [-2, -1]), non_sequences: a, n_steps: 5);
        return rows;
    }

    [Fact]
    public void Output_taps_minus_two_and_minus_one()
    {
        var x0 = lvector("x0");
        var (fib, _) = scan((a, b) => a + b, outputs_info: dict(initial: x0, taps: [-2, -1]), n_steps: 8);
        var got = T.Compile([x0], [fib], null, null, Backends.Emulated(), false)
            .Call([NDArray.FromArray(new long[] { 0, 1 })])[0].ToFlatArray<long>();
        Assert.Equal(new long[] { 1, 2, 3, 5, 8, 13, 21, 34 }, got);

        var (init, a) = (dmatrix("x0"), dvector("a"));
        var rows = TwoTapRecurrence(init, a);
        SameAsCpu([init, a], [rows, .. grad(rows.sum(), [init, a])], Points.Normal(2, 3), Points.Normal(3));
    }

    [Fact]
    public void Output_taps_second_derivative() => VerifyGradOnDevice(
        v => grad(TwoTapRecurrence(v[0], v[1]).sum(), v[1]), [Points.Normal(2, 2), Points.Normal(2)]);

    [Fact]
    public void Sequence_taps_around_the_current_step()
    {
        var x = dvector("x");
        var (rows, _) = scan((previous, current, next) => previous - 2.0 * current + next * next,
            sequences: dict(input: x, taps: [-1, 0, 1]));
        SameAsCpu([x], [rows, grad(rows.sum(), x)], Points.Normal(7));
    }

    /// <summary>go_backwards: the sequence is read from its end (a view with a negative stride on the device).</summary>
    [Fact]
    public void Go_backwards()
    {
        var x = dvector("x");
        var (rows, _) = scan((v, acc) => acc + sin(v), sequences: x, outputs_info: zeros_like(x[0]), go_backwards: true);
        var v = Points.Normal(5).ToFlatArray<double>();
        var expected = new double[5];
        for (var t = 0; t < 5; t++) expected[t] = Math.Sin(v[4 - t]) + (t > 0 ? expected[t - 1] : 0);
        var got = T.Compile([x], [rows], null, null, Backends.Emulated(), false).Call([NDArray.FromArray(v)])[0];
        Assert.Equal(expected, got.ToFlatArray<double>(), Close);
        SameAsCpu([x], [rows, grad(rows.sum(), x)], NDArray.FromArray(v));
    }

    /// <summary>Theano's shared outputs: the step updates a shared counter; the updates install the last value.</summary>
    [Fact]
    public void Updates_made_inside_the_step()
    {
        var total = shared(NDArray.Scalar(1.0), "total");
        var x = dvector("x");
        var (outputs, updates) = scan((Variable[] a) => ([total * a[0]], [(total, total + a[0])]), sequences: x);
        var f = function([x], outputs[0], updates: updates);
        var device = CompiledFunction.Of(f).On(Backends.Emulated());
        Assert.Empty(Fallbacks((CudaExecutable)device.Executable));
        Assert.Equal(new double[] { 1, 4, 12 }, device.Call([new double[] { 1, 2, 3 }])[0].ToFlatArray<double>(), Close);
        Assert.Equal(7.0, (double)total.get_value());
        device.Call([new double[] { 1 }]);
        Assert.Equal(8.0, (double)total.get_value());
        for (var call = 0; call < 6; call++)   // the later calls replay graphs
            Assert.Equal(new[] { 2 * (8.0 + 2 * call) }, device.Call([new double[] { 2 }])[0].ToFlatArray<double>(), Close);
        Assert.Equal(20.0, (double)total.get_value());
        Assert.True(((CudaExecutable)device.Executable).GraphCount > 0);
    }

    /// <summary>
    /// A dropout-like mask drawn inside the step (RandomStreams' binomial and uniform, the device's Philox kernels):
    /// the step's draws run on the device and give the CPU's numbers (the same seed gives the same numbers on every
    /// backend), call after call, with the draws' state updates that scan returns (Theano's rule: they must be given
    /// to function).
    /// </summary>
    [Fact]
    public void Random_draws_inside_the_step()
    {
        CompiledFunction Build(Backend backend)
        {
            var random = new RandomStreams(seed: 42);
            var x = ftensor3("x");
            var (outputs, updates) = scan((Variable[] a) =>
            {
                var mask = random.binomial(size: a[0].shape, n: 1, p: 0.8, dtype: "float32");
                var noise = random.uniform(size: a[0].shape, low: -0.1, high: 0.1, dtype: "float32");
                return [tanh(a[0] * mask + noise + a[1])];
            }, sequences: x, outputs_info: zeros_like(x[0]));
            Assert.Equal(2, updates.Count);
            return T.Compile([x], [outputs[0]], [.. updates], null, backend, false);
        }
        var cpu = Build(Theon.Backends.Cpu.CpuBackend.Instance);
        var device = Build(Backends.Emulated());
        Assert.Empty(Fallbacks((CudaExecutable)device.Executable));
        Assert.Contains(Steps((CudaExecutable)device.Executable).Single().Plan,
            s => s is PlanStep.OnDevice { Node.op: Theon.Ops.Random.Binomial });
        var value = Points.Normal(4, 3, 5).astype(DType.Float32);
        for (var call = 0; call < 3; call++) Same(cpu.Call([value]), device.Call([value]), new ScanIdiomTests.Tolerance(1e-6));
    }

    /// <summary>
    /// Theano's index loop, <c>scan(fn, sequences=arange(n))</c> with <c>X[i]</c> in the step: the index is a row of
    /// a device sequence that the step's indexing reads on the host, so it comes back each step (a wait per step, and
    /// the call is not captured); the numbers are the CPU's.
    /// </summary>
    [Fact]
    public void An_index_loop_reads_its_index_on_the_host_each_step()
    {
        var (m, k) = (dmatrix("X"), lscalar("k"));
        var (sums, _) = scan((i, acc, rows) => acc + rows[i] * 2.0, sequences: arange(k), outputs_info: zeros_like(m[0]),
            non_sequences: m);
        var value = Points.Normal(5, 3);
        var cpu = T.Compile([m, k], [sums], null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = T.Compile([m, k], [sums], null, null, Backends.Emulated(), false);
        for (var call = 0; call < 4; call++) Same(cpu.Call([value, 4]), device.Call([value, 4]));
        Assert.Equal(0, ((CudaExecutable)device.Executable).GraphCount);
    }

    /// <summary>A scan inside the step of a scan: the inner scan's step is built into an executable of its own too.</summary>
    [Fact]
    public void A_scan_inside_a_step()
    {
        var x = dtensor3("x");
        var (outputs, _) = scan((Variable[] a) =>
        {
            var (sums, _) = scan((r, acc) => acc + tanh(r), sequences: a[0], outputs_info: zeros_like(a[0][0]));
            return [a[1] + sums[-1]];
        }, sequences: x, outputs_info: zeros_like(x[0][0]));
        var totals = outputs[0];
        SameAsCpu([x], [totals, grad(totals.sum(), x)], Points.Normal(3, 4, 2));
        var device = T.Compile([x], [totals], null, null, Backends.Emulated(), false);
        Assert.Single(Steps((CudaExecutable)device.Executable), s => s.Scans.Count == 0);
    }

    /// <summary>
    /// A step that reads a value computed on the host (a row's length, as a number) on the device: a graph would
    /// replay the value uploaded when it was captured, so such calls are not captured, and each call gives the CPU's
    /// numbers whatever its shapes.
    /// </summary>
    [Fact]
    public void A_step_reading_a_shape_as_a_number_is_not_captured_and_follows_each_call_s_shapes()
    {
        var x = dmatrix("x");
        var (rows, _) = scan((v, acc) => acc + v / cast(v.shape[0], "float64"), sequences: x,
            outputs_info: zeros_like(x[0]));
        var cpu = T.Compile([x], [rows], null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = T.Compile([x], [rows], null, null, Backends.Emulated(), false);
        foreach (var columns in new[] { 3, 3, 3, 5, 5, 5, 3, 3 })
        {
            var value = Points.Normal(4, columns);
            Same(cpu.Call([value]), device.Call([value]));
        }
        Assert.Equal(0, ((CudaExecutable)device.Executable).GraphCount);
    }

    /// <summary>A step output of another shape than its state raises when the loop runs, with the CPU's message, and
    /// the failed call changes no shared variable.</summary>
    [Fact]
    public void A_step_output_of_the_wrong_shape_raises_as_on_the_cpu_and_changes_nothing()
    {
        var total = shared(NDArray.Scalar(0.0), "total");
        var x0 = dvector("x0");
        var (rows, _) = scan((Variable s) => concatenate([s, s]), outputs_info: x0, n_steps: 2);
        var f = function([x0], rows, updates: [(total, total + rows.sum())]);
        var device = CompiledFunction.Of(f).On(Backends.Emulated());
        var onCpu = Assert.Throws<ArgumentException>(() => f(new double[] { 1, 2 }));
        var onDevice = Assert.Throws<ArgumentException>(() => device.Call([new double[] { 1, 2 }]));
        Assert.Equal(onCpu.Message, onDevice.Message);
        Assert.Contains("has shape (4,), its state shape is (2,)", onDevice.Message);
        Assert.Equal(0.0, (double)total.get_value());
    }

    /// <summary>The RNN training step of ScanBenchmarks, small: float32, two scans (forward and BPTT), SGD on shared
    /// weights.</summary>
    internal sealed class RnnTraining
    {
        public const int Steps = 7, Batch = 3, Inputs = 4, Hidden = 5, Readout = 2;
        public readonly SharedVariable[] Parameters;
        public readonly CompiledFunction Train;
        public readonly object[] Arguments;

        public RnnTraining(Backend backend)
        {
            var state = np.random.RandomState(1234);
            NDArray Uniform(params int[] shape) => state.uniform(-0.5, 0.5, shape).astype("float32");
            Parameters = [shared(Uniform(Inputs, Hidden), "W"), shared(Uniform(Hidden, Hidden), "U"),
                shared(np.zeros([Hidden], "float32"), "b"), shared(Uniform(Hidden, Readout), "V")];
            var (W, U, b, V) = (Parameters[0], Parameters[1], Parameters[2], Parameters[3]);
            var (x, y, h0) = (ftensor3("x"), ftensor3("y"), fmatrix("h0"));
            var (outputs, _) = scan((xt, hPrev) =>
            {
                var h = tanh(dot(xt, W) + dot(hPrev, U) + b);
                return [h, dot(h, V)];
            }, sequences: x, outputs_info: [h0, null]);
            var cost = mean(sqr(outputs[1] - y));
            var grads = grad(cost, [W, U, b, V]);
            Train = T.Compile([x, y, h0], [cost], [.. Parameters.Select((p, i) => (p, p - 0.1 * grads[i]))], null,
                backend, false);
            Arguments = [Uniform(Steps, Batch, Inputs), Uniform(Steps, Batch, Readout), np.zeros([Batch, Hidden], "float32")];
        }

        public double Step() => (double)Train.Call(Arguments)[0];
    }

    [Fact]
    public void Rnn_training_runs_wholly_on_the_device_and_trains_as_on_the_cpu()
    {
        var (cpu, device) = (new RnnTraining(Theon.Backends.Cpu.CpuBackend.Instance), new RnnTraining(Backends.Emulated()));
        var executable = (CudaExecutable)device.Train.Executable;
        Assert.Empty(Fallbacks(executable));
        Assert.Equal(2, executable.Plan.Count(s => s is PlanStep.OnDevice { Node.op: Theon.Ops.Scan }));
        Assert.All(Steps(executable), step => Assert.Contains(step.Plan, s => s is PlanStep.OnDevice { Node.op: Theon.Ops.Dot }));
        for (var call = 0; call < 10; call++) Assert.Equal(cpu.Step(), device.Step(), 1e-5);   // the last ones replay graphs
        Assert.Equal(2, executable.GraphCount);
        foreach (var (c, d) in cpu.Parameters.Zip(device.Parameters))
            Same([c.get_value()], [d.get_value()], new ScanIdiomTests.Tolerance(1e-5));
    }

    [Fact]
    public void A_steady_rnn_training_call_allocates_nothing_uploads_its_arguments_and_replays_one_graph()
    {
        var backend = Backends.Emulated();
        var model = new RnnTraining(backend);
        // the update buffers alternate, so a steady call has two keys: each is captured the second time it comes
        for (var call = 0; call < 6; call++) model.Step();
        var before = backend.Device.Counts;

        model.Step();

        var counts = backend.Device.Counts - before;
        const int argumentBytes = 4 * (RnnTraining.Steps * RnnTraining.Batch * (RnnTraining.Inputs + RnnTraining.Readout)
            + RnnTraining.Batch * RnnTraining.Hidden);
        Assert.Equal(0, counts.Allocations);
        Assert.Equal(argumentBytes, counts.BytesToDevice);
        Assert.Equal(4, counts.BytesToHost);              // the float32 cost
        Assert.Equal(1, counts.Replays);
        Assert.Equal(0, counts.Launches);
        Assert.Equal(1, counts.Synchronizations);
    }
}

/// <summary>Scan on the device with CUDA graphs off (a global setting, so not run beside other tests).</summary>
[Collection("GlobalConfig")]
public class ScanDeviceWithoutGraphsTests
{
    /// <summary>With graphs off, the loop's launches run one by one; still no allocation and one wait.</summary>
    [Fact]
    public void Without_graphs_a_steady_call_allocates_nothing_and_waits_once()
    {
        var backend = Backends.Emulated();
        var previous = T.config.cuda_graphs;
        ScanDeviceTests.RnnTraining model;
        try
        {
            T.config.cuda_graphs = false;
            model = new ScanDeviceTests.RnnTraining(backend);
        }
        finally
        {
            T.config.cuda_graphs = previous;
        }
        for (var call = 0; call < 3; call++) model.Step();
        var before = backend.Device.Counts;

        model.Step();

        var counts = backend.Device.Counts - before;
        Assert.Equal(0, counts.Allocations);
        Assert.Equal(0, counts.Replays);
        Assert.True(counts.Launches >= 2 * ScanDeviceTests.RnnTraining.Steps, $"{counts.Launches} launches");
        Assert.Equal(1, counts.Synchronizations);
    }
}
