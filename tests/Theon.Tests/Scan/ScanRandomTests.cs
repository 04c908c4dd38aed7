using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>
/// Random draws inside a step (Theano's scan with shared_randomstreams): the state of each draw is a state of the
/// loop, advanced by its default update at every step, and scan returns its final value as an update.
/// </summary>
public class ScanRandomTests
{
    private static (Variable Rows, OrderedUpdates Updates) Draws(RandomStreams streams, int steps)
    {
        var (outputs, updates) = scan((Variable[] _) => [streams.uniform(3, dtype: "float64")], n_steps: constant((long)steps));
        return (outputs[0], updates);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void EachStepDrawsWhatTheNextDrawOutsideTheLoopWould(string backend)
    {
        var (rows, updates) = Draws(new RandomStreams(7), 4);
        Assert.Single(updates);
        var f = function([], rows, updates: updates, backend: backend);

        // four draws in a row from a stream with the same seed, outside any loop
        var outside = function([], new RandomStreams(7).uniform(3, dtype: "float64"), backend: backend);
        var sequential = Enumerable.Range(0, 8).Select(_ => outside().ToFlatArray<double>()).ToArray();

        var first = f();
        for (var t = 0; t < 4; t++) Assert.Equal(sequential[t], first[t].ToFlatArray<double>());
        var second = f();   // the returned update carried the state on from the first call's last step
        for (var t = 0; t < 4; t++) Assert.Equal(sequential[4 + t], second[t].ToFlatArray<double>());
    }

    [Fact]
    public void TheDrawsStateIsAStateOfTheLoopAndHasNoGradient()
    {
        var streams = new RandomStreams(3);
        var x = dvector("x");
        var (rows, updates) = scan((Variable xt, Variable acc) => acc + xt * streams.binomial(1, p: 0.5, dtype: "float64")[0],
            sequences: x, outputs_info: constant(0.0));
        var cost = rows[-1];
        var f = function([x], [cost, grad(cost, x)], updates: updates);
        var results = f(np.asarray(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }));
        // the gradient of sum_t x_t m_t is the mask itself: a 0/1 vector, and the cost is its dot with x
        var mask = results[1].ToFlatArray<double>();
        Assert.All(mask, m => Assert.True(m is 0.0 or 1.0));
        Assert.Equal(mask.Select((m, i) => m * (i + 1)).Sum(), (double)results[0]);
    }

    /// <summary>
    /// Without scan's updates the draw's default update would advance the state by one step's draw per call, so
    /// calls would repeat each other's numbers: refused, naming the state and what to do.
    /// </summary>
    [Fact]
    public void FunctionWithoutScansUpdatesIsRefused()
    {
        var (rows, updates) = Draws(new RandomStreams(1), 2);
        var e = Assert.Throws<ArgumentException>(() => function([], rows));
        Assert.Contains("give function the updates scan returned", e.Message);
        Assert.Contains(updates.Single().Item1.name ?? "", e.Message);
        function([], rows, no_default_updates: true);   // or the draws repeat every call, as asked
    }
}
