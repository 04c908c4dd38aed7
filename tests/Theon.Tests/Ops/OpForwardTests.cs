using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>
/// Forward values of every op, compiled with <c>function</c>, against numpy (tests/fixtures/ops_fixtures.json).
/// </summary>
public class OpForwardTests
{
    public static TheoryData<string> CaseNames => [.. OpFixtures.All.Keys.Order()];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesNumpy(string name)
    {
        var fixture = OpFixtures.All[name];
        var inputs = OpCatalog.InputsFor(fixture.Inputs);
        var f = function(inputs, OpCatalog.Expressions[name](inputs));

        var actual = f([.. fixture.Inputs.Cast<object>()]);

        AssertSameArray(fixture.Expected, actual, name);
    }

    [Fact]
    public void EveryExpressionHasAFixtureAndEveryFixtureAnExpression()
    {
        Assert.Empty(OpCatalog.Expressions.Keys.Except(OpFixtures.All.Keys));
        Assert.Empty(OpFixtures.All.Keys.Except(OpCatalog.Expressions.Keys));
    }

    internal static void AssertSameArray(NDArray expected, NDArray actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape {NDArray.ShapeString(actual.shape)}, numpy {NDArray.ShapeString(expected.shape)}");
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, numpy {expected.dtype}");
        // float32: numpy accumulates in float32, Theon's reductions in float64 (acc_dtype), so the last bit may differ
        var (rtol, atol) = expected.dtype == "float32" ? (2e-6, 1e-7) : (1e-10, 1e-12);
        var equal = expected.DType.IsFloat ? expected.AllClose(actual, rtol, atol) : np.array_equal(expected, actual);
        Assert.True(equal, $"{what}: got\n{actual}\nnumpy\n{expected}");
    }
}
