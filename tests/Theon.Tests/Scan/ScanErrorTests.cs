using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>A bad step raises when the scan is built, naming the step's output or input; bad values when called.</summary>
public class ScanErrorTests
{
    [Fact]
    public void OutputOfAnotherDTypeThanItsState()
    {
        var x = dvector("x");
        var e = Assert.Throws<ArgumentException>(() =>
            scan((v, acc) => cast(acc + v, "float32"), sequences: x, outputs_info: zeros_like(x[0])));
        Assert.Contains("step output 0", e.Message);
        Assert.Contains("float32", e.Message);
        Assert.Contains("float64", e.Message);
    }

    [Fact]
    public void OutputOfAnotherRankThanItsState()
    {
        var x = dmatrix("x");
        var e = Assert.Throws<ArgumentException>(() =>
            scan((v, acc) => (acc + v).sum(), sequences: x, outputs_info: zeros_like(x[0])));
        Assert.Contains("step output 0", e.Message);
        Assert.Contains("fed back as output0[t-1] of type TensorType(float64, vector)", e.Message);
        Assert.Contains("TensorType(float64, scalar)", e.Message);
    }

    [Fact]
    public void SequenceTapsBeyondAKnownSequence()
    {
        var x = constant(new double[] { 1, 2, 3 });
        var e = Assert.Throws<ArgumentException>(() =>
            scan((a, b) => a + b, sequences: dict(input: x, taps: [-3, 0])));
        Assert.Contains("sequence 0", e.Message);
        Assert.Contains("3 rows", e.Message);
    }

    [Fact]
    public void OutputTapsBeyondItsInitialRows()
    {
        var x0 = constant(new double[] { 1, 2 });
        var e = Assert.Throws<ArgumentException>(() =>
            scan((a, b) => a + b, outputs_info: dict(initial: x0, taps: [-3, -1]), n_steps: 3));
        Assert.Contains("outputs_info entry 0", e.Message);
        Assert.Contains("2 initial rows", e.Message);
    }

    [Fact]
    public void NonNegativeOutputTap()
    {
        var x0 = dvector("x0");
        var e = Assert.Throws<ArgumentException>(() =>
            scan(a => a * 2.0, outputs_info: dict(initial: x0, taps: [0]), n_steps: 3));
        Assert.Contains("outputs_info entry 0", e.Message);
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void WrongNumberOfStepArguments()
    {
        var x = dvector("x");
        var e = Assert.Throws<ArgumentException>(() => scan(v => v * 2.0, sequences: x, outputs_info: zeros_like(x[0])));
        Assert.Contains("takes 1 argument(s), but scan passes 2", e.Message);
    }

    [Fact]
    public void OutputsInfoOfTheWrongLength()
    {
        var x = dvector("x");
        var e = Assert.Throws<ArgumentException>(() =>
            scan((Variable[] a) => [a[0] * 2.0, a[0]], sequences: x, outputs_info: [null]));
        Assert.Contains("returned 2 output(s), outputs_info has 1", e.Message);
    }

    [Fact]
    public void NoNumberOfSteps()
    {
        var e = Assert.Throws<ArgumentException>(() => scan(a => a * 2.0, outputs_info: dscalar("a0")));
        Assert.Contains("n_steps", e.Message);
    }

    /// <summary>The shape of a state is known only when the function runs: the call raises, naming the output.</summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void StepOutputOfAnotherShapeThanItsState(string backend)
    {
        var x = dvector("x");
        var h0 = dvector("h0");
        var (rows, _) = scan((v, h) => concatenate([h, v.dimshuffle('x')]), sequences: x, outputs_info: h0);
        var f = function([x, h0], rows, backend: backend);
        var e = Assert.Throws<ArgumentException>(() => f(new double[] { 1, 2 }, new double[] { 0, 0 }));
        Assert.Contains("step output 0", e.Message);
        Assert.Contains("(3,)", e.Message);
        Assert.Contains("(2,)", e.Message);
    }

    [Fact]
    public void NegativeNumberOfSteps()
    {
        var n = iscalar("n");
        var (rows, _) = scan(a => a * 2.0, outputs_info: dscalar("a0"), n_steps: n);
        var f = function([n, rows.owner!.inputs[0].owner!.inputs[1].owner!.inputs[0]], rows);
        var e = Assert.Throws<ArgumentException>(() => f(-1, 1.0));
        Assert.Contains("n_steps is -1", e.Message);
    }

    [Fact]
    public void FailedCallChangesNoSharedVariable()
    {
        var counter = shared(NDArray.Scalar(0.0), "counter");
        var x = dvector("x");
        var h0 = dvector("h0");
        var (rows, _) = scan((v, h) => concatenate([h, v.dimshuffle('x')]), sequences: x, outputs_info: h0);
        var f = function([x, h0], rows.sum(), updates: [(counter, counter + 1.0)]);
        Assert.Throws<ArgumentException>(() => f(new double[] { 1, 2 }, new double[] { 0, 0 }));
        Assert.Equal(0.0, (double)counter.get_value());
        f(Array.Empty<double>(), Array.Empty<double>());
        Assert.Equal(1.0, (double)counter.get_value());
    }
}
