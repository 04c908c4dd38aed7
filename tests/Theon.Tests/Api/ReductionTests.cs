using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// var, std, max_and_argmax, all, any, cumsum, cumprod, sort, argsort and logsumexp against numpy
/// (tests/fixtures/make_api_fixtures.py), on the CPU and reference backends.
/// </summary>
public class ReductionTests : FixtureCaseTests<ReductionTests>, IFixtureCases
{
    public static IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; } = new Dictionary<string, Func<Variable[], Variable>>
    {
        ["var_axis0"] = x => @var(x[0], axis: 0),
        ["var_all_ddof1"] = x => @var(x[0], ddof: 1),
        ["var_axes02_keepdims"] = x => @var(x[0], [0, -1], keepdims: true),
        ["var_ddof2_corrected"] = x => @var(x[0], axis: 1, ddof: 2, corrected: true),
        ["std_axis1_ddof1"] = x => std(x[0], axis: 1, ddof: 1),
        ["std_all"] = x => std(x[0]),
        ["std_int"] = x => std(x[0]),
        ["max_of_max_and_argmax_axes02"] = x => max_and_argmax(x[0], [2, 0])[0],
        ["argmax_of_max_and_argmax_axes02"] = x => max_and_argmax(x[0], [0, 2])[1],
        ["argmax_of_max_and_argmax_all"] = x => max_and_argmax(x[0])[1],
        ["max_of_max_and_argmax_axis1_keepdims"] = x => max_and_argmax(x[0], axis: 1, keepdims: true)[0],
        ["all_axis0"] = x => all(x[0], axis: 0),
        ["all_none"] = x => all(x[0]),
        ["any_axes12"] = x => any(x[0], [1, 2]),
        ["any_axis_minus1_keepdims"] = x => any(x[0], axis: -1, keepdims: true),
        ["all_nan_is_true"] = x => all(x[0], axis: 1),
        ["cumsum_none"] = x => cumsum(x[0]),
        ["cumsum_axis0"] = x => cumsum(x[0], axis: 0),
        ["cumsum_axis_minus1"] = x => cumsum(x[0], axis: -1),
        ["cumprod_axis1"] = x => cumprod(x[0], axis: 1),
        ["cumprod_none"] = x => cumprod(x[0]),
        ["cumsum_int32_axis1"] = x => cumsum(x[0], axis: 1),
        ["sort_last"] = x => sort(x[0]),
        ["sort_axis0"] = x => sort(x[0], axis: 0),
        ["sort_none"] = x => sort(x[0], axis: null),
        ["sort_nan_last"] = x => sort(x[0]),
        ["argsort_nan_last"] = x => argsort(x[0]),
        ["sort_int"] = x => sort(x[0], axis: 1),
        ["argsort_ties_stable"] = x => argsort(x[0], kind: "stable"),
        ["argsort_axis0"] = x => argsort(x[0], axis: 0),
        ["argsort_none"] = x => argsort(x[0], axis: null),
        ["logsumexp_axis1"] = x => logsumexp(x[0], axis: 1),
        ["logsumexp_all"] = x => logsumexp(x[0]),
        ["logsumexp_large"] = x => logsumexp(x[0], axis: 1),
        ["logsumexp_infinite"] = x => logsumexp(x[0], axis: 1),
        ["logsumexp_axes01_keepdims"] = x => logsumexp(x[0], [0, 1], keepdims: true),
    };

    public static string[] OnDevice => ["var_axes02_keepdims", "argmax_of_max_and_argmax_axes02", "any_axes12", "cumsum_axis0", "sort_axis0", "argsort_ties_stable", "logsumexp_large"];

    [Fact]
    public void NamesAreTheanos()
    {
        var (m, t) = (dmatrix("m"), dtensor3("t"));

        Assert.Equal("MaxAndArgmax{axis=(1,)}", max_and_argmax(m, axis: 1)[0].owner!.op.Name);
        Assert.Equal("MaxAndArgmax{axis=(0, 1)}", max_and_argmax(m)[1].owner!.op.Name);
        Assert.Equal("All{0, 2}", all(t, [2, 0]).owner!.op.Name);
        Assert.Equal("Any", any(t > 0).owner!.op.Name);
        Assert.Equal("CumOp{None, add}", cumsum(m).owner!.op.Name);
        Assert.Equal("CumOp{1, mul}", cumprod(m, axis: -1).owner!.op.Name);
        Assert.Equal("SortOp{quicksort, None}", sort(m).owner!.op.Name);
        Assert.Equal("ArgSortOp{quicksort, None}", argsort(m).owner!.op.Name);
        Assert.Equal("var", @var(m).name);
        Assert.Equal("std", std(m).name);
    }

    [Fact]
    public void TypesFollowTheano()
    {
        var (m, i, b) = (fmatrix("m"), imatrix("i"), tensor("bool", [false, false], "b"));

        Assert.Equal("float32", @var(m, axis: 0).type.dtype.Name);
        Assert.Equal("float32", std(m, axis: 0, ddof: 1).type.dtype.Name);
        Assert.Equal("float64", @var(i).type.dtype.Name);
        Assert.Equal("bool", all(i).type.dtype.Name);
        Assert.Equal("int32", cumsum(i, axis: 0).type.dtype.Name);
        Assert.Equal("int64", cumsum(b).type.dtype.Name);
        Assert.Equal(1, cumsum(m).ndim);
        Assert.Equal("int64", argsort(m).type.dtype.Name);
        Assert.Equal("int64", max_and_argmax(m, axis: 0)[1].type.dtype.Name);
        Assert.Equal([false, true], max_and_argmax(m, axis: 1, keepdims: true)[0].type.broadcastable);
    }

    [Fact]
    public void Gradients()
    {
        var p = new GradientPoints(21);
        verify_grad(v => @var(v[0], axis: 1), [p.Normal(3, 4)]);
        verify_grad(v => std(v[0], [0, 2], ddof: 1, keepdims: true), [p.Normal(2, 3, 4)]);
        verify_grad(v => max_and_argmax(v[0], [0, 1])[0], [p.Normal(3, 4)]);
        verify_grad(v => cumsum(v[0], axis: 1), [p.Normal(3, 4)]);
        verify_grad(v => cumsum(v[0]) * cumsum(v[0], axis: 0).flatten(), [p.Normal(3, 2)]);
        verify_grad(v => cumprod(v[0], axis: 0), [p.AwayFromZero(4, 3)]);
        verify_grad(v => cumprod(v[0]), [p.AwayFromZero(2, 3)]);
        verify_grad(v => sort(v[0], axis: 0) * constant(np.arange(12.0).reshape(3, 4)), [p.Normal(3, 4)]);
        verify_grad(v => sort(v[0], axis: null) * constant(np.arange(8.0)), [p.Normal(2, 2, 2)]);
        verify_grad(v => logsumexp(v[0], axis: 0), [p.Normal(3, 4)]);
        verify_grad(v => logsumexp(v[0] * 300), [p.Normal(2, 3)]);
    }

    [Fact]
    public void SecondDerivatives()
    {
        var p = new GradientPoints(22);
        verify_grad(v => grad(sqr(cumsum(v[0], axis: 1)).sum(), v[0]), [p.Normal(2, 3)]);
        verify_grad(v => grad(logsumexp(v[0]), v[0]), [p.Normal(4)]);
        verify_grad(v => grad(@var(v[0]), v[0]), [p.Normal(5)]);
        verify_grad(v => grad(sqr(sort(v[0])).sum() * 0.5 + sort(v[0])[0], v[0]), [p.Normal(5)]);
    }

    [Fact]
    public void LogsumexpOfHugeValuesIsFiniteWhereTheNaiveFormOverflows()
    {
        var x = dvector("x");
        var f = function([x], [logsumexp(x), log(sum(exp(x)))]);

        var (stable, naive) = f(new[] { 800.0, 800.0 });

        Assert.Equal(800 + Math.Log(2), (double)stable, 12);
        Assert.True(double.IsInfinity((double)naive));
    }

    [Fact]
    public void BadAxesAreNamed()
    {
        var m = dmatrix("m");

        var outOfRange = Assert.Throws<ArgumentException>(() => @var(m, axis: 2));
        Assert.Contains("axis 2", outOfRange.Message);
        Assert.Contains("m", outOfRange.Message);
        Assert.Contains("repeated axis", Assert.Throws<ArgumentException>(() => all(m, [0, -2])).Message);
        Assert.Contains("axis -3", Assert.Throws<ArgumentException>(() => cumsum(m, axis: -3)).Message);
        Assert.Contains("kind", Assert.Throws<ArgumentException>(() => sort(m, kind: "bogo")).Message);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => max_and_argmax(dscalar("s"))).Message);
    }

    [Fact]
    public void MaxAndArgmaxOfAnEmptyAxisNamesTheInput()
    {
        var m = dmatrix("m");
        var f = function([m], max_and_argmax(m, axis: 1)[0]);

        var error = Assert.Throws<ArgumentException>(() => f(np.zeros(2, 0)));
        Assert.Contains("m", error.Message);
        Assert.Contains("(2, 0)", error.Message);
    }
}
