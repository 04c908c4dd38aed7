using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>
    /// Theano's <c>var</c>: the mean squared deviation from the mean over <paramref name="axis"/> (all axes when
    /// null), divided by N - <paramref name="ddof"/> instead of N when ddof is not 0 (N the number of elements reduced,
    /// as numpy does). <paramref name="corrected"/>
    /// subtracts the rounding error of the two passes (the "corrected two-pass" algorithm), as Theano does.
    /// </summary>
    public static Variable @var(Variable x, int? axis = null, int ddof = 0, bool keepdims = false, bool corrected = false) =>
        @var(x, axis is { } a ? [a] : null, ddof, keepdims, corrected);

    public static Variable @var(Variable x, int[]? axis, int ddof = 0, bool keepdims = false, bool corrected = false)
    {
        var axes = ReduceAxes.Normalize("var", x, axis)?.ToArray() ?? [.. Enumerable.Range(0, x.ndim)];
        var centered = x - mean(x, axes, keepdims: true);
        var squares = pow(centered, constant(NDArray.Scalar(2, centered.type.dtype)));
        var (v, error) = ddof == 0
            ? (mean(squares, axes, keepdims), corrected ? sqr(mean(centered, axes, keepdims)) : null)
            : (DivideByCounts(sum(squares, axes, keepdims), x, axes, ddof, 1),
               corrected ? DivideByCounts(sqr(sum(centered, axes, keepdims)), x, axes, ddof, 2) : null);
        var result = error is null ? v : v - error;
        result.name = "var";
        return result;
    }

    /// <summary>
    /// Divides by N - ddof, N the number of elements reduced (numpy's rule; Theano divides by n - ddof once per axis,
    /// which is the same for one axis), and once more by N when <paramref name="power"/> is 2.
    /// </summary>
    private static Variable DivideByCounts(Variable total, Variable x, int[] axes, int ddof, int power)
    {
        var n = ReduceAxes.Size([.. axes.Select(a => shape(x)[a])]);
        return true_div(total, cast(power == 1 ? n - ddof : (n - ddof) * n, total.type.dtype));
    }

    /// <summary>Theano's <c>std</c>: the square root of <see cref="var(Variable, int?, int, bool, bool)"/>.</summary>
    public static Variable std(Variable x, int? axis = null, int ddof = 0, bool keepdims = false, bool corrected = false) =>
        std(x, axis is { } a ? [a] : null, ddof, keepdims, corrected);

    public static Variable std(Variable x, int[]? axis, int ddof = 0, bool keepdims = false, bool corrected = false)
    {
        var result = sqrt(@var(x, axis, ddof, keepdims, corrected));
        result.name = "std";
        return result;
    }

    /// <summary>Theano's <c>max_and_argmax</c>: the max over the axes (all when null) and where it is; deconstructs.</summary>
    public static Variable[] max_and_argmax(Variable x, int? axis = null, bool keepdims = false) =>
        max_and_argmax(x, axis is { } a ? [a] : null, keepdims);

    public static Variable[] max_and_argmax(Variable x, int[]? axis, bool keepdims = false)
    {
        if (x.ndim == 0) throw new ArgumentException($"max_and_argmax: {x} is a scalar ({x.type}); there is no axis to reduce.");
        var axes = ReduceAxes.Normalize("max_and_argmax", x, axis) ?? new Seq<int>(Enumerable.Range(0, x.ndim));
        var node = new MaxAndArgmax(axes).MakeNode(x);
        return [.. node.outputs.Select(o => keepdims ? ReduceAxes.Expand(o, x.ndim, axes) : o)];
    }

    /// <summary>Theano's <c>all</c>: true where every element over the axes is non-zero (bool).</summary>
    public static Variable all(Variable x, int? axis = null, bool keepdims = false) => all(x, axis is { } a ? [a] : null, keepdims);

    public static Variable all(Variable x, int[]? axis, bool keepdims = false) =>
        LogicalReduce(x, ReduceAxes.Normalize("all", x, axis), keepdims, axes => new All(axes));

    /// <summary>Theano's <c>any</c>: true where some element over the axes is non-zero (bool).</summary>
    public static Variable any(Variable x, int? axis = null, bool keepdims = false) => any(x, axis is { } a ? [a] : null, keepdims);

    public static Variable any(Variable x, int[]? axis, bool keepdims = false) =>
        LogicalReduce(x, ReduceAxes.Normalize("any", x, axis), keepdims, axes => new Any(axes));

    private static Variable LogicalReduce(Variable x, Seq<int>? axes, bool keepdims, Func<Seq<int>?, Op> op)
    {
        var truth = x.type.dtype.IsBool ? x : neq(x, constant(NDArray.Scalar(0, x.type.dtype)));
        var reduced = op(axes).MakeNode(truth).outputs[0];
        return keepdims ? ReduceAxes.Expand(reduced, x.ndim, axes) : reduced;
    }

    /// <summary>Theano's <c>cumsum</c>: the running sum along <paramref name="axis"/>, or over the flattened input when null.</summary>
    public static Variable cumsum(Variable x, int? axis = null) =>
        new CumOp(axis is { } a ? ReduceAxes.Single("cumsum", x, a) : null, "add").MakeNode(x).outputs[0];

    /// <summary>Theano's <c>cumprod</c>: the running product along <paramref name="axis"/>, or over the flattened input when null.</summary>
    public static Variable cumprod(Variable x, int? axis = null) =>
        new CumOp(axis is { } a ? ReduceAxes.Single("cumprod", x, a) : null, "mul").MakeNode(x).outputs[0];

    /// <summary>Theano's <c>sort</c>: sorted along <paramref name="axis"/> (the last by default), or flattened and sorted when null.</summary>
    public static Variable sort(Variable a, int? axis = -1, string kind = "quicksort") =>
        new SortOp(SortAxis("sort", a, axis, kind)).MakeNode(a).outputs[0];

    /// <summary>Theano's <c>argsort</c>: the int64 positions that sort <paramref name="a"/> along <paramref name="axis"/> (flattened when null).</summary>
    public static Variable argsort(Variable a, int? axis = -1, string kind = "quicksort") =>
        new ArgSortOp(SortAxis("argsort", a, axis, kind)).MakeNode(a).outputs[0];

    private static int? SortAxis(string op, Variable a, int? axis, string kind)
    {
        if (kind is not ("quicksort" or "mergesort" or "heapsort" or "stable"))
            throw new ArgumentException($"{op}: kind must be \"quicksort\", \"mergesort\", \"heapsort\" or \"stable\", got \"{kind}\".", nameof(kind));
        return axis is { } ax ? ReduceAxes.Single(op, a, ax) : null;
    }

    /// <summary>
    /// log(sum(exp(x))) over the axes (all when null), computed stably as PyTensor's <c>logsumexp</c> is after its
    /// <c>local_log_sum_exp</c> rewrite: the max is taken out first (m + log(sum(exp(x - m)))), and an infinite max is
    /// replaced by 0 so that all -inf gives -inf and an inf gives inf instead of NaN.
    /// </summary>
    public static Variable logsumexp(Variable x, int? axis = null, bool keepdims = false) =>
        logsumexp(x, axis is { } a ? [a] : null, keepdims);

    public static Variable logsumexp(Variable x, int[]? axis, bool keepdims = false)
    {
        var axes = ReduceAxes.Normalize("logsumexp", x, axis)?.ToArray();
        var top = Reduction("max", x, axes, keepdims: true);
        var shift = @switch(isinf(top), zeros_like(top), top);
        var total = log(sum(exp(x - shift), axes, keepdims));
        return total + (keepdims ? shift : Squeezed(shift, x.ndim, axes));
    }

    /// <summary>A keepdims result with the reduced axes dropped again.</summary>
    private static Variable Squeezed(Variable kept, int ndim, int[]? axes) =>
        kept.dimshuffle([.. Enumerable.Range(0, ndim).Where(a => axes is not null && !axes.Contains(a)).Cast<object>()]);
}
