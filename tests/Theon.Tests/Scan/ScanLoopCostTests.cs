using Theon.Backends.Cpu;
using Theon.Compile;
using Theon.Ops;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>
/// What one RNN training step costs inside its loops: each step of the forward and of the backward (BPTT) scan holds
/// one small product, the readout and its gradient are one large product outside, the backward scan reads the
/// forward rows where they are (no reversed view for a reshape to copy), and a steady call copies no rows into new
/// arrays.
/// </summary>
public class ScanLoopCostTests
{
    private static readonly GradientPoints Points = new(31);

    /// <summary>h_t = tanh(x_t W + h_{t-1} U + b), y_t = h_t V: the readout reads the state itself, as an RNN is
    /// written (the benchmark's network).</summary>
    private static Variable[] Rnn(Variable[] v)
    {
        var (x, h0, w, u, b, readout) = (v[0], v[1], v[2], v[3], v[4], v[5]);
        var (outputs, _) = scan((xt, hPrev) =>
        {
            var h = tanh(dot(xt, w) + dot(hPrev, u) + b);
            return [h, dot(h, readout)];
        }, sequences: x, outputs_info: [h0, null]);
        return outputs;
    }

    private static (Variable[] Inputs, Variable[] Outputs) RnnWithGradients()
    {
        Variable[] inputs = [dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V")];
        var cost = sqr(Rnn(inputs)[1]).sum();
        return (inputs, [cost, .. grad(cost, inputs[2..])]);
    }

    private static int Products(Theon.Ops.Scan scan) =>
        GraphWalk.TopoSort(StepTestValues.Off(() => Optimizer.Optimize(scan.Inner.Outputs, Theon.Backends.Cpu.CpuBackend.Instance.Phases).Lowered))
            .Count(n => n.op is Dot or Dot22 or Theon.Ops.Gemm);

    [Fact]
    public void EachStepHoldsOneProductAndTheReadoutIsOneProductOutside()
    {
        var (inputs, outputs) = RnnWithGradients();
        var cpu = T.Compile(inputs, outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        Assert.Contains("scan_pushout_output_dot", cpu.RewritesApplied);
        Assert.Contains("scan_pushout_seq_dot", cpu.RewritesApplied);
        var scans = GraphWalk.TopoSort(cpu.OptimizedOutputs).Select(n => n.op).OfType<Theon.Ops.Scan>().ToArray();
        Assert.Equal(2, scans.Length);
        // forward: h_{t-1} U; backward: the carry's pullback through U (the readout's gradient dz_t V.T is a sequence)
        Assert.All(scans, s => Assert.Equal(1, Products(s)));
        var backward = scans.Single(s => s.Layout.FnName == "grad_of_scan_fn");
        Assert.Equal(1, backward.Layout.Recurrent);   // the carry of h; the accumulators of dW, dU, dV and db are gone

        var reference = T.Compile(inputs, outputs, null, null, ReferenceBackend.Instance, false);
        for (var call = 0; call < 2; call++)
        {
            var point = ScanIdiomTests.ElmanPoint(Points, steps: 6, batch: 3);
            var (expected, actual) = (reference.Call([.. point.Cast<object>()]), cpu.Call([.. point.Cast<object>()]));
            for (var k = 0; k < expected.Length; k++)
                Assert.Equal(expected[k].ToFlatArray<double>(), actual[k].ToFlatArray<double>(), new ScanIdiomTests.Tolerance(1e-9));
        }
    }

    [Fact]
    public void GradientThroughThePushedOutReadoutIsTheNumericOne()
    {
        var point = ScanIdiomTests.ElmanPoint(Points, steps: 4, batch: 2);
        verify_grad(v => Rnn([v[0], v[1], v[2], v[3], v[4], v[5]])[1], [.. point]);
    }

    /// <summary>Zero steps: the pushed-out readout is an empty product with the readout's row shape.</summary>
    [Fact]
    public void ZeroStepsGiveEmptyReadoutRows()
    {
        var (inputs, outputs) = RnnWithGradients();
        var f = function(inputs, [Rnn(inputs)[1], .. outputs]);
        var results = f([.. ScanIdiomTests.ElmanPoint(Points, steps: 0).Cast<object>()]);
        Assert.Equal([0, 2, 2], results[0].shape);
        Assert.All(results.Skip(1), g => Assert.All(g.ToFlatArray<double>(), v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void BackwardScanReadsTheForwardRowsWithoutReversedViews()
    {
        var (inputs, outputs) = RnnWithGradients();
        var f = function(inputs, outputs);
        var nodes = GraphWalk.TopoSort(CompiledFunction.Of(f).OptimizedOutputs);
        Assert.DoesNotContain(nodes, n => n.op is Subtensor { Specs: var specs } && specs.Any(s => s is SliceIndex { HasStep: true }));
        var backward = nodes.Select(n => n.op).OfType<Theon.Ops.Scan>().Single(s => s.Layout.FnName == "grad_of_scan_fn");
        Assert.True(backward.Layout.LastRowFirst);
    }

    /// <summary>
    /// A steady float32 training call allocates no arrays: before, each call copied two reversed sequences for the
    /// weight gradients (4.3 MB at the benchmark's size) and made a view object per row per step.
    /// </summary>
    [Fact]
    public void SteadyTrainingCallAllocatesNoArrays()
    {
        var previous = config.floatX;
        config.floatX = "float32";
        try
        {
            var (x, y, h0) = (ftensor3("x"), ftensor3("y"), fmatrix("h0"));
            var p = new Random(5);
            SharedVariable Weights(int rows, int columns) =>
                shared(np.asarray(Enumerable.Range(0, rows * columns).Select(_ => (float)(p.NextDouble() - 0.5) * 0.2f).ToArray()).reshape(rows, columns));
            var (w, u, b, v) = (Weights(8, 16), Weights(16, 16), shared(np.zeros([16], "float32")), Weights(16, 4));
            var z = Rnn([x, h0, w, u, b, v])[1];
            var cost = mean(sqr(z - y));
            var g = grad(cost, [w, u, b, v]);
            var step = function([x, y, h0], [cost], updates:
                [(w, w - 0.01 * g[0]), (u, u - 0.01 * g[1]), (b, b - 0.01 * g[2]), (v, v - 0.01 * g[3])], borrow: true);
            object[] args = [np.ones([20, 8, 8], "float32") * 0.1, np.zeros([20, 8, 4], "float32"), np.zeros([8, 16], "float32")];
            for (var i = 0; i < 5; i++) step(args);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++) step(args);
            // 20 steps × 8 × 16 float32 rows: one copy of a sequence alone would be 10 KB a call
            Assert.InRange((GC.GetAllocatedBytesForCurrentThread() - before) / 10, 0, 8_000);
        }
        finally
        {
            config.floatX = previous;
        }
    }
}
