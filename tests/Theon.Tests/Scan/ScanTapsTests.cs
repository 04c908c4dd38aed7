using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>Taps on sequences and outputs, go_backwards, truncate_gradient and shared variables read by the step.</summary>
public class ScanTapsTests
{
    private static readonly GradientPoints Points = new(17);
    private static readonly IEqualityComparer<double> Close = new ScanIdiomTests.Tolerance(1e-9);

    /// <summary>Theano's mit_sot: <c>outputs_info=dict(initial=x0, taps=[-2, -1])</c>, x0 holding the two rows before the first step.</summary>
    [Fact]
    public void FibonacciWithTwoOutputTaps()
    {
        var x0 = lvector("x0");
        var (fib, _) = scan((a, b) => a + b, outputs_info: dict(initial: x0, taps: [-2, -1]), n_steps: 8);
        var got = function([x0], fib)(NDArray.FromArray(new long[] { 0, 1 })).ToFlatArray<long>();
        Assert.Equal(new long[] { 1, 2, 3, 5, 8, 13, 21, 34 }, got);
    }

    private static Variable TwoTapRecurrence(Variable x0, Variable a)
    {
        var (rows, _) = scan((older, previous, w) => w * older + tanh(previous),
            outputs_info: dict(initial: x0, taps: [-2, -1]), non_sequences: a, n_steps: 5);
        return rows;
    }

    [Fact]
    public void TwoOutputTapsAgainstLoop()
    {
        var (x0, a) = (dmatrix("x0"), dvector("a"));
        var init = Points.Normal(2, 3);
        var w = Points.Normal(3);
        var got = function([x0, a], TwoTapRecurrence(x0, a))(init, w);
        var rows = new List<double[]> { Row(init, 0), Row(init, 1) };
        for (var t = 0; t < 5; t++)
            rows.Add([.. Enumerable.Range(0, 3).Select(j => w.GetItem<double>(j) * rows[^2][j] + Math.Tanh(rows[^1][j]))]);
        Assert.Equal(rows.Skip(2).SelectMany(r => r), got.ToFlatArray<double>(), Close);
    }

    [Fact]
    public void TwoOutputTapsGradient() =>
        verify_grad(v => TwoTapRecurrence(v[0], v[1]), [Points.Normal(2, 3), Points.Normal(3)]);

    [Fact]
    public void TwoOutputTapsSecondDerivative() =>
        verify_grad(v => grad(TwoTapRecurrence(v[0], v[1]).sum(), v[1]), [Points.Normal(2, 3), Points.Normal(3)]);

    private static Variable SecondDifference(Variable x)
    {
        var (rows, _) = scan((previous, current, next) => previous - 2.0 * current + next * next,
            sequences: dict(input: x, taps: [-1, 0, 1]));
        return rows;
    }

    [Fact]
    public void SequenceTapsAroundTheCurrentStep()
    {
        var x = dvector("x");
        var value = Points.Normal(7);
        var got = function([x], SecondDifference(x))(value).ToFlatArray<double>();
        var v = value.ToFlatArray<double>();
        Assert.Equal(Enumerable.Range(1, 5).Select(t => v[t - 1] - 2 * v[t] + v[t + 1] * v[t + 1]), got, Close);
    }

    [Fact]
    public void SequenceTapsGradient() => verify_grad(v => SecondDifference(v[0]), [Points.Normal(6)]);

    private static Variable CumsumBackwards(Variable x)
    {
        var (rows, _) = scan((v, acc) => acc + sin(v), sequences: x, outputs_info: zeros_like(x[0]), go_backwards: true);
        return rows;
    }

    /// <summary>go_backwards reads the sequence from its end; the rows are in the order computed (Theano's rule).</summary>
    [Fact]
    public void GoBackwards()
    {
        var x = dvector("x");
        var v = Points.Normal(5).ToFlatArray<double>();
        var got = function([x], CumsumBackwards(x))(NDArray.FromArray(v)).ToFlatArray<double>();
        var expected = new double[5];
        for (var t = 0; t < 5; t++) expected[t] = Math.Sin(v[4 - t]) + (t > 0 ? expected[t - 1] : 0);
        Assert.Equal(expected, got, Close);
    }

    [Fact]
    public void GoBackwardsGradient() => verify_grad(v => CumsumBackwards(v[0]), [Points.Normal(5)]);

    private static Variable LastState(Variable x, Variable w, int truncate)
    {
        var (h, _) = scan((xt, hPrev) => tanh(xt + w * hPrev), sequences: x, outputs_info: zeros_like(w),
            truncate_gradient: truncate);
        return h[-1];
    }

    /// <summary>
    /// Theano's truncate_gradient: back-propagation runs through the last steps only, so earlier inputs get zeros and
    /// the last ones the full gradient (scan_op.py, L_op: <c>n_steps</c> of the backward scan is truncate_gradient).
    /// </summary>
    [Fact]
    public void TruncateGradient()
    {
        var (x, w) = (dvector("x"), dscalar("w"));
        var value = Points.Normal(6);
        var full = function([x, w], grad(LastState(x, w, -1), x))(value, 0.7).ToFlatArray<double>();
        var truncated = function([x, w], grad(LastState(x, w, 2), x))(value, 0.7).ToFlatArray<double>();
        Assert.Equal(new double[4], truncated[..4]);
        Assert.Equal(full[4..], truncated[4..], Close);
        Assert.All(full[..4], g => Assert.NotEqual(0.0, g));
    }

    /// <summary>A shared variable the step reads is found by scan (Theano's rule): no non_sequences needed.</summary>
    [Fact]
    public void SharedVariableReadByTheStep()
    {
        var weights = Points.Normal(3, 3) * 0.5;
        var w = shared(weights, "W");
        var x = dmatrix("x");
        var (h, _) = scan((xt, hPrev) => tanh(xt + dot(hPrev, w)), sequences: x, outputs_info: zeros_like(x[0]));
        var cost = h.sum();
        var f = function([x], [cost, grad(cost, w)]);
        var wx = dmatrix("Wx");
        var (h2, _) = scan((xt, hPrev, wArg) => tanh(xt + dot(hPrev, wArg)), sequences: x,
            outputs_info: zeros_like(x[0]), non_sequences: wx);
        var reference = function([x, wx], [h2.sum(), grad(h2.sum(), wx)]);
        var value = Points.Normal(4, 3);
        var (c, g) = f(value);
        var (cRef, gRef) = reference(value, weights);
        Assert.Equal((double)cRef, (double)c, 12);
        Assert.Equal(gRef.ToFlatArray<double>(), g.ToFlatArray<double>(), Close);
        Assert.All(ScanNodes(f), n => Assert.Contains(n.inputs, i => ReferenceEquals(i, w)));
    }

    [Fact]
    public void SharedVariableGradient()
    {
        var w = shared(Points.Normal(3) * 0.5, "w");
        verify_grad(v =>
        {
            var (h, _) = scan((xt, hPrev) => tanh(xt * w + hPrev * v[1]), sequences: v[0], outputs_info: zeros_like(v[0][0]));
            return h;
        }, [Points.Normal(4, 3), Points.Normal(3)]);
    }

    internal static IEnumerable<Apply> ScanNodes(Delegate f) =>
        GraphWalk.TopoSort(CompiledFunction.Of(f).OptimizedOutputs).Where(n => n.op is Theon.Ops.Scan);

    private static double[] Row(NDArray a, int i) => a[i].ToFlatArray<double>();
}
