using static Theon.T;

namespace Theon.Tests.BadInput;

/// <summary>
/// The CPU backend checks a float argument for NaN inside the first generated loop that reads all of it, instead of in
/// a pass of its own. Every way a loop reads an input (vectors, the scalar tail, broadcast along a row, strided, split
/// across threads, fused into a reduction) must still refuse a NaN, and a refused call changes no shared variable.
/// </summary>
public class NaNWhileRunningTests
{
    private readonly SharedVariable counter = shared(NDArray.FromArray(new[] { 1.0, 2.0 }), "counter");

    private (SharedVariable, Variable) CountingUpdate() => (counter, counter + 1);

    private void AssertRefused(Function f, params object[] args)
    {
        var before = counter.get_value();
        var error = Assert.Throws<ArgumentException>(() => f(args));
        Assert.Contains("NaN", error.Message);
        Assert.True(np.array_equal(before, counter.get_value()), $"counter changed to {counter.get_value()}");
    }

    private static void AssertCheckedWhileRunning(Delegate f, params string[] names) =>
        Assert.Equal(names, CompiledFunction.Of(f).ArgumentsCheckedWhileRunning.Select(v => v.name));

    private static NDArray WithNaN(NDArray value, int flatIndex)
    {
        var copy = value.Copy();
        var index = new int[copy.ndim];
        for (var axis = copy.ndim - 1; axis >= 0; axis--)
        {
            index[axis] = flatIndex % copy.shape[axis];
            flatIndex /= copy.shape[axis];
        }
        copy.SetItem(double.NaN, index);
        return copy;
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void ARowBroadcastInputIsCheckedOncePerRow(string dtype)
    {
        var (x, m) = (tensor(dtype, [false], "x"), tensor(dtype, [false, false], "m"));
        var f = function([x, m], dimshuffle(x, 0, "x") * m, updates: [CountingUpdate()]);
        var (xs, ms) = (np.ones(5).astype(dtype), np.ones(5, 40).astype(dtype));
        f(xs, ms);
        AssertCheckedWhileRunning(f, "x", "m");
        for (var at = 0; at < 5; at++) AssertRefused(f, WithNaN(xs, at), ms);
        foreach (var at in new[] { 0, 39, 40, 199 }) AssertRefused(f, xs, WithNaN(ms, at));
    }

    [Fact]
    public void AStridedInputIsCheckedElementByElement()
    {
        var x = dmatrix("x");
        var f = function([x], x.T * 2, updates: [CountingUpdate()]);
        var xs = np.ones(7, 9);
        f(xs);
        AssertCheckedWhileRunning(f, "x");
        foreach (var at in new[] { 0, 8, 9, 30, 62 }) AssertRefused(f, WithNaN(xs, at));
    }

    [Fact]
    public void ALoopSplitAcrossThreadsChecksEveryPart()
    {
        var threads = config.num_threads;
        config.num_threads = 2;
        try
        {
            var x = fvector("x");
            var f = function([x], sigmoid(x * 3), updates: [CountingUpdate()]);
            var xs = np.ones(300_001).astype("float32");
            f(xs);
            AssertCheckedWhileRunning(f, "x");
            foreach (var at in new[] { 0, 150_000, 150_001, 300_000 }) AssertRefused(f, WithNaN(xs, at));
        }
        finally
        {
            config.num_threads = threads;
        }
    }

    [Fact]
    public void AReductionFusedWithItsProducerChecksItsInputs()
    {
        var x = dmatrix("x");
        var f = function([x], (exp(x) * 2).sum(axis: 1), updates: [CountingUpdate()]);
        var xs = np.ones(3, 50);
        f(xs);
        AssertCheckedWhileRunning(f, "x");
        foreach (var at in new[] { 0, 49, 50, 149 }) AssertRefused(f, WithNaN(xs, at));
    }

    [Fact]
    public void ANaNIsReportedBeforeAShapeErrorOfTheSameCall()
    {
        var (x, y) = (dvector("x"), dvector("y"));
        var f = function([x, y], x + y, updates: [CountingUpdate()]);
        f(np.ones(3), np.ones(3));
        AssertCheckedWhileRunning(f, "x", "y");
        AssertRefused(f, WithNaN(np.ones(3), 1), np.ones(4));
    }

    [Fact]
    public void AnInputBroadcastToNothingIsStillChecked()
    {
        var (x, y) = (tensor("float64", [true], "x"), dvector("y"));
        var f = function([x, y], x + y, updates: [CountingUpdate()]);
        Assert.Equal([0], f(np.ones(1), np.ones(0)).shape);
        AssertRefused(f, WithNaN(np.ones(1), 0), np.ones(0));
    }

    [Fact]
    public void AnInputNoLoopReadsWholeIsCheckedBeforeTheRun()
    {
        var (x, w) = (dmatrix("x"), dmatrix("w"));
        var f = function([x, w], dot(x, w) + 1, updates: [CountingUpdate()]);
        f(np.ones(2, 3), np.ones(3, 2));
        AssertCheckedWhileRunning(f);
        AssertRefused(f, WithNaN(np.ones(2, 3), 4), np.ones(3, 2));
        AssertRefused(f, np.ones(2, 3), WithNaN(np.ones(3, 2), 5));
    }
}
