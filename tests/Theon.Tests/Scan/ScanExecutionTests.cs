using Theon.Backends.Cpu;
using Theon.Compile;
using Theon.Ops;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>
/// How a scan runs: the CPU backend compiles the step once into a kernel of its own, the CUDA backend (emulated device)
/// runs the loop on the device (see Cuda/ScanDeviceTests), loop-invariant work moves out of the loop, and updates made inside the step.
/// </summary>
public class ScanExecutionTests
{
    private static readonly GradientPoints Points = new(23);
    private static readonly IEqualityComparer<double> Close = new ScanIdiomTests.Tolerance(1e-9);

    private static (Variable[] Inputs, Variable[] Outputs) ElmanWithGradients()
    {
        Variable[] inputs = [dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V")];
        var (h, y) = ScanIdiomTests.Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
        var cost = sqr(y).sum() + h[-1].sum();
        return (inputs, [y, .. grad(cost, inputs)]);
    }

    [Fact]
    public void CpuKernelRunsTheStepCompiledOnce()
    {
        var (inputs, outputs) = ElmanWithGradients();
        var cpu = T.Compile(inputs, outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var reference = T.Compile(inputs, outputs, null, null, ReferenceBackend.Instance, false);
        var kernels = ((CpuExecutable)cpu.Executable).KernelsOf<Theon.Ops.Scan>().ToArray();
        Assert.Equal(2, kernels.Length);   // the forward loop and the backward (BPTT) loop
        Assert.All(kernels, k => Assert.IsType<ScanKernel>(k));
        // dot(x[t], W) of every step is one product of the whole sequence, computed before the loop
        Assert.Contains("scan_pushout_seq_dot", cpu.RewritesApplied);
        for (var call = 0; call < 2; call++)
        {
            var point = ScanIdiomTests.ElmanPoint(Points, steps: 5);
            Same(reference.Call([.. point.Cast<object>()]), cpu.Call([.. point.Cast<object>()]));
        }
    }

    [Fact]
    public void CudaBackendOnTheEmulatedDevice()
    {
        var (inputs, outputs) = ElmanWithGradients();
        var cpu = T.Compile(inputs, outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = T.Compile(inputs, outputs, null, null, Cuda.Backends.Emulated(), false);
        var point = ScanIdiomTests.ElmanPoint(Points, steps: 3);
        Same(cpu.Call([.. point.Cast<object>()]), device.Call([.. point.Cast<object>()]));
    }

    /// <summary>Theano's PushOutNonSeqScan: exp(W) * 2 reads only a non-sequence, so it is computed once, outside.</summary>
    [Fact]
    public void LoopInvariantWorkMovesOutOfTheLoop()
    {
        var (x, w) = (dmatrix("x"), dmatrix("W"));
        var (h, _) = scan((xt, hPrev, wArg) => tanh(xt + dot(hPrev, exp(wArg) * 2.0)), sequences: x,
            outputs_info: zeros_like(x[0]), non_sequences: w);
        var f = function([x, w], h);
        var compiled = CompiledFunction.Of(f);
        Assert.Contains("scan_pushout_nonseqs", compiled.RewritesApplied);
        var node = ScanTapsTests.ScanNodes(f).Single();
        var step = GraphWalk.TopoSort(((Theon.Ops.Scan)node.op).Inner.Outputs);
        Assert.DoesNotContain(step, n => n.op is Elemwise { Scalar: Exp });
        Assert.Contains(step, n => n.op is Elemwise { Scalar: Tanh });
        Assert.Contains(GraphWalk.TopoSort(compiled.OptimizedOutputs), n => n.op is Elemwise { Scalar: Exp });

        var (xv, wv) = (Points.Normal(4, 3), Points.Normal(3, 3) * 0.3);
        var got = f(xv, wv).ToFlatArray<double>();
        var m = wv.ToFlatArray<double>().Select(v => Math.Exp(v) * 2).ToArray();
        var hPrevValue = new double[3];
        var expected = new List<double>();
        for (var t = 0; t < 4; t++)
        {
            var next = Enumerable.Range(0, 3).Select(k =>
                Math.Tanh(xv.GetItem<double>(t, k) + Enumerable.Range(0, 3).Sum(j => hPrevValue[j] * m[j * 3 + k]))).ToArray();
            expected.AddRange(next);
            hPrevValue = next;
        }
        Assert.Equal(expected, got, Close);
    }

    /// <summary>
    /// The gradient's scan computes the gradient of every input; asked for W only, the optimized graph drops the rows
    /// of the sequence's gradient, and the carries and accumulators keep their final value only.
    /// </summary>
    [Fact]
    public void GradientScanComputesOnlyWhatIsRead()
    {
        var (x, w) = (dmatrix("x"), dmatrix("W"));
        var (h, _) = scan((xt, hPrev, wArg) => tanh(xt + dot(hPrev, wArg)), sequences: x,
            outputs_info: zeros_like(x[0]), non_sequences: w);
        var f = function([x, w], grad(h.sum(), w));
        Assert.Contains("scan_remove_unused_outputs", CompiledFunction.Of(f).RewritesApplied);
        var backward = ScanTapsTests.ScanNodes(f).Select(n => (Theon.Ops.Scan)n.op).Single(s => s.Layout.FnName == "grad_of_scan_fn");
        Assert.Equal(0, backward.Layout.NotFedBack);
        Assert.Equal(Enumerable.Range(0, backward.Layout.Recurrent), backward.Layout.LastOnly);

        var (xv, wv) = (Points.Normal(5, 3), Points.Normal(3, 3) * 0.4);
        var reference = function([x, w], grad(h.sum(), [x, w]), backend: "reference");
        Assert.Equal(reference(xv, wv)[1].ToFlatArray<double>(), f(xv, wv).ToFlatArray<double>(), Close);
    }

    /// <summary>
    /// The backward scan accumulates dW += h[t-1].T · g[t] at every step; the accumulation becomes one product of all
    /// the steps' rows after the loop (the step outputs g's rows), and the gradient is unchanged (verify_grad).
    /// </summary>
    [Fact]
    public void AccumulatedWeightGradientBecomesOneProduct()
    {
        static Variable Rnn(Variable x, Variable w)
        {
            var (h, _) = scan((xt, hPrev, wArg) => tanh(xt + dot(hPrev, wArg)), sequences: x,
                outputs_info: zeros_like(x[0]), non_sequences: w);
            return h;
        }
        var (x, w) = (dtensor3("x"), dmatrix("W"));
        var f = function([x, w], grad(Rnn(x, w).sum(), w));
        Assert.Contains("scan_accumulate_to_reduction", CompiledFunction.Of(f).RewritesApplied);
        var backward = ScanTapsTests.ScanNodes(f).Select(n => (Theon.Ops.Scan)n.op).Single(s => s.Layout.FnName == "grad_of_scan_fn");
        Assert.Equal(1, backward.Layout.Recurrent);   // the carry of h; W's accumulator is gone
        verify_grad(v => Rnn(v[0], v[1]), [Points.Normal(4, 2, 3), Points.Normal(3, 3) * 0.4]);
    }

    /// <summary>A step whose every node reads the current row has nothing to move out.</summary>
    [Fact]
    public void StepWithOnlyAStepDependentPartIsLeftAlone()
    {
        var x = dvector("x");
        var (rows, _) = scan(v => v * 2.0, sequences: x);
        var f = function([x], rows);
        Assert.DoesNotContain("scan_pushout_nonseqs", CompiledFunction.Of(f).RewritesApplied);
    }

    /// <summary>Theano's shared outputs: the step updates a shared counter; each step sees the previous step's value
    /// and the returned updates install the last.</summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void UpdatesMadeInsideTheStep(string backend)
    {
        var total = shared(NDArray.Scalar(1.0), "total");
        var x = dvector("x");
        var (outputs, updates) = scan((Variable[] a) => ([total * a[0]], [(total, total + a[0])]), sequences: x);
        var f = function([x], outputs[0], updates: updates, backend: backend);
        Assert.Single(updates);
        var got = f(new double[] { 1, 2, 3 }).ToFlatArray<double>();
        Assert.Equal(new double[] { 1 * 1, 2 * 2, 4 * 3 }, got, Close);
        Assert.Equal(7.0, (double)total.get_value());
        f(new double[] { 1 });
        Assert.Equal(8.0, (double)total.get_value());
    }

    private static void Same(NDArray[] expected, NDArray[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].shape, actual[k].shape);
            Assert.Equal(expected[k].ToFlatArray<double>(), actual[k].ToFlatArray<double>(), Close);
        }
    }
}
