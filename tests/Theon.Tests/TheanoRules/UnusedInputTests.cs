using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// Theano's <c>theano.compile.function_module.FunctionMaker._check_unused_inputs</c>: an input that no output or
/// update uses (after the givens are substituted) raises <c>UnusedInputError</c> naming it, warns, or is accepted, as
/// <c>on_unused_input</c> is "raise" (the default), "warn" or "ignore". And <c>theano.compile.pfunc.pfunc</c>: a
/// <c>givens</c> entry may not replace one of the function's inputs.
/// </summary>
public class UnusedInputTests
{
    private static readonly Variable x = dvector("x"), y = dvector("y");
    private static readonly NDArray ones = np.ones(2);

    [Fact]
    public void AnUnusedInputRaisesNamingIt()
    {
        var error = Assert.Throws<UnusedInputError>(() => function([x, y], x * 2));

        Assert.Contains("input 1", error.Message);
        Assert.Contains("y", error.Message);
        Assert.Contains("on_unused_input", error.Message);
    }

    [Fact]
    public void WarnWritesTheWarningAndCompiles()
    {
        var saved = Console.Error;
        var captured = new StringWriter();
        Function f;
        Console.SetError(captured);
        try
        {
            f = function([x, y], x * 2, on_unused_input: "warn");
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Contains("Warning", captured.ToString());
        Assert.Contains("input 1 (y", captured.ToString());
        Assert.Equal(new[] { 2.0, 2.0 }, f(ones, ones).ToFlatArray<double>());
    }

    [Fact]
    public void IgnoreCompilesAndTheInputIsStillAnArgument()
    {
        var f = function([x, y], x * 2, on_unused_input: "ignore");

        Assert.Equal(new[] { 2.0, 2.0 }, f(ones, np.zeros(5)).ToFlatArray<double>());
        Assert.ThrowsAny<ArgumentException>(() => f(ones));
    }

    [Fact]
    public void AnUnknownModeIsRefused() =>
        Assert.Contains("loud", Assert.ThrowsAny<ArgumentException>(() => function([x], x, on_unused_input: "loud")).Message);

    [Fact]
    public void InputsUsedThroughGivensUpdatesOrShapesAreUsed()
    {
        // the ancestors of the outputs and updates, shapes included, after givens
        var index = lscalar("index");
        var data = shared(np.arange(6.0).reshape(3, 2), "data");
        var counter = shared(0.0, "counter");

        var batch = function([index], x.sum(), givens: [(x, data[index])]);
        var count = function([x], counter * 1, updates: [(counter, counter + x.sum())]);
        var length = function([y], shape(y));

        Assert.Equal(9.0, (double)batch(2));
        count(ones);
        Assert.Equal(2.0, (double)counter.get_value());
        Assert.Equal(3L, length(np.zeros(3)).GetItem<long>(0));
    }

    [Fact]
    public void GivensReplacingAnInputRaises()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => function([x], x * 2, givens: [(x, y * 2)]));

        Assert.Contains("givens", error.Message);
        Assert.Contains("x is an input", error.Message);
    }
}
