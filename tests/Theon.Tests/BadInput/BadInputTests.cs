using static Theon.T;

namespace Theon.Tests.BadInput;

/// <summary>
/// Each bad input gives an <see cref="ArgumentException"/> whose message names the input and the expected and
/// actual type or shape, and leaves every shared variable as it was.
/// </summary>
public class BadInputTests
{
    private readonly SharedVariable counter = shared(NDArray.FromArray(new[] { 1.0, 2.0, 3.0 }), "counter");

    /// <summary>Runs <paramref name="call"/>, expects the error, checks that the counter is unchanged.</summary>
    private ArgumentException Refused(Action call)
    {
        var before = counter.get_value();
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.True(np.array_equal(before, counter.get_value()), $"counter changed to {counter.get_value()}");
        return error;
    }

    private static void AssertMentions(Exception error, params string[] parts)
    {
        foreach (var part in parts) Assert.True(error.Message.Contains(part), $"\"{part}\" is not in: {error.Message}");
    }

    private (SharedVariable Variable, Variable Next) CountingUpdate() => (counter, counter + 1);

    [Fact]
    public void FloatIntoIntInput()
    {
        var i = iscalar("i");
        var f = function([i], i * 2, updates: [CountingUpdate()]);

        var error = Refused(() => f(1.5));

        AssertMentions(error, "'i'", "int32", "float64");
    }

    [Fact]
    public void Int64ArrayIntoIvector()
    {
        var v = ivector("v");
        var f = function([v], v.sum(), updates: [CountingUpdate()]);

        var error = Refused(() => f(new long[] { 1, 2 }));

        AssertMentions(error, "'v'", "int32", "int64");
    }

    [Fact]
    public void WrongNumberOfDimensions()
    {
        var x = dvector("x");
        var f = function([x], x.sum(), updates: [CountingUpdate()]);

        var error = Refused(() => f(np.ones(2, 2)));

        AssertMentions(error, "'x'", "TensorType(float64, vector)", "(2, 2)");
    }

    [Fact]
    public void MismatchedElementwiseShapesAtRunTime()
    {
        var (x, y) = (dvector("x"), dvector("y"));
        var f = function([x, y], x + y, updates: [CountingUpdate()]);

        var error = Refused(() => f(np.ones(3), np.ones(4)));

        AssertMentions(error, "x", "y", "(3,)", "(4,)");
    }

    [Fact]
    public void MismatchedDotShapesAtRunTime()
    {
        var (x, w) = (dmatrix("x"), dmatrix("w"));
        var f = function([x, w], dot(x, w), updates: [CountingUpdate()]);

        var error = Refused(() => f(np.ones(2, 3), np.ones(4, 5)));

        AssertMentions(error, "x", "w", "(2, 3)", "(4, 5)");
    }

    [Fact]
    public void NaNInAnInput()
    {
        var x = dvector("x");
        var f = function([x], x * 2, updates: [CountingUpdate()]);

        var error = Refused(() => f(new[] { 1.0, double.NaN }));

        AssertMentions(error, "'x'", "NaN");
    }

    [Fact]
    public void UpdateOfAnotherShapeAtRunTimeChangesNoSharedVariable()
    {
        var n = lscalar("n");
        var f = function([n], counter.sum(), updates: [(counter, counter[slice(null, n)])]);

        var error = Refused(() => f(2));

        AssertMentions(error, "counter", "(2,)", "(3,)");
    }

    [Fact]
    public void AFailingUpdateLeavesTheOtherUpdatesUnapplied()
    {
        var other = shared(NDArray.FromArray(new[] { 5.0 }), "other");
        var n = lscalar("n");
        var f = function([n], counter.sum(), updates: [(other, other * 2), (counter, counter[slice(null, n)])]);

        Refused(() => f(1));

        Assert.Equal(5.0, other.get_value().ToFlatArray<double>()[0]);
    }

    [Fact]
    public void UpdateOfAnotherTypeAtCompileTime()
    {
        var error = Refused(() => function([], counter.sum(), updates: [(counter, counter.sum())]));

        AssertMentions(error, "counter", "TensorType(float64, vector)", "TensorType(float64, scalar)");
    }

    [Fact]
    public void GradOfAVectorCost()
    {
        var x = dvector("x");

        var error = Refused(() => grad(x * 2, x));

        AssertMentions(error, "cost", "TensorType(float64, vector)");
    }

    [Fact]
    public void GradOfADisconnectedInputRaisesByDefault()
    {
        var (x, y) = (dvector("x"), dvector("y"));

        var error = Refused(() => grad(sqr(x).sum(), y));

        Assert.IsType<DisconnectedInputError>(error);
        AssertMentions(error, "y");
    }

    [Fact]
    public void GradOfADisconnectedInputIgnoredIsZero()
    {
        var (x, y) = (dvector("x"), dvector("y"));
        var gy = grad(sqr(x).sum(), y, disconnected_inputs: "ignore");

        var value = function([y], gy)(new[] { 3.0, 4.0, 5.0 });

        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void GradOfADisconnectedInputWarnsOnStandardErrorAndIsZero()
    {
        var (x, y) = (dvector("x"), dvector("y"));
        var saved = Console.Error;
        var captured = new StringWriter();
        Variable gy;
        Console.SetError(captured);
        try
        {
            gy = grad(sqr(x).sum(), y, disconnected_inputs: "warn");
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Contains("y", captured.ToString());
        Assert.Contains("Warning", captured.ToString());
        Assert.Equal(new[] { 0.0, 0.0 }, function([y], gy)(np.ones(2)).ToFlatArray<double>());
    }

    [Fact]
    public void UnknownDisconnectedInputsModeIsRefused()
    {
        var x = dvector("x");

        var error = Refused(() => grad(x.sum(), x, disconnected_inputs: "loud"));

        AssertMentions(error, "disconnected_inputs", "loud");
    }

    [Fact]
    public void SetValueWithAWrongDType()
    {
        var steps = shared(NDArray.FromArray(new[] { 1, 2 }), "steps");
        var before = steps.get_value();

        var error = Refused(() => steps.set_value(NDArray.FromArray(new[] { 1.5, 2.5 })));

        AssertMentions(error, "steps", "int32", "float64");
        Assert.True(np.array_equal(before, steps.get_value()));
    }

    [Fact]
    public void SetValueWithAWrongNumberOfDimensions()
    {
        var error = Refused(() => counter.set_value(np.ones(3, 1)));

        AssertMentions(error, "counter", "TensorType(float64, vector)", "(3, 1)");
    }

    [Fact]
    public void SetValueThatBreaksABroadcastablePattern()
    {
        var bias = shared(np.zeros(1, 3), "bias", broadcastable: [true, false]);

        var error = Assert.ThrowsAny<ArgumentException>(() => bias.set_value(np.ones(2, 3)));

        AssertMentions(error, "bias", "broadcastable", "(2, 3)");
        Assert.True(np.array_equal(np.zeros(1, 3), bias.get_value()));
    }

    [Fact]
    public void NaNInAFloat32Input()
    {
        var x = fvector("x");
        var f = function([x], x.sum(), updates: [CountingUpdate()]);

        var error = Refused(() => f(new[] { float.NaN, 1f }));

        AssertMentions(error, "'x'", "NaN");
    }

    [Fact]
    public void AStringArgument()
    {
        var x = dvector("x");
        var f = function([x], x.sum(), updates: [CountingUpdate()]);

        var error = Refused(() => f("1, 2"));

        AssertMentions(error, "'x'", "TensorType(float64, vector)", "string");
    }

    [Fact]
    public void GivensOfAnotherType()
    {
        var (x, i) = (dvector("x"), ivector("i"));

        var error = Refused(() => function([i], x.sum(), updates: [CountingUpdate()], givens: [(x, i)]));

        AssertMentions(error, "givens", "TensorType(float64, vector)", "TensorType(int32, vector)");
    }

    [Fact]
    public void AdvancedIndexOutOfRange()
    {
        var (x, y) = (dvector("x"), lvector("y"));
        var f = function([x, y], x[y], updates: [CountingUpdate()]);

        var error = Refused(() => f(np.ones(3), new long[] { 0, 5 }));

        AssertMentions(error, "x", "y", "5", "3");
    }

    [Fact]
    public void ScalarIndexOutOfRange()
    {
        var (x, i) = (dvector("x"), lscalar("i"));
        var f = function([x, i], x[i], updates: [CountingUpdate()]);

        var error = Refused(() => f(np.ones(3), -4));

        AssertMentions(error, "x", "-4", "3");
    }

    [Fact]
    public void WrongNumberOfArguments()
    {
        var x = dvector("x");
        var f = function([x], x.sum(), updates: [CountingUpdate()]);

        var error = Refused(() => f());

        AssertMentions(error, "1 argument", "'x'", "got 0");
    }
}
