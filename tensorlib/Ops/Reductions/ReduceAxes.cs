namespace Theon.Ops;

/// <summary>The axis arguments of the reductions: checked, negative ones counted from the end, sorted.</summary>
internal static class ReduceAxes
{
    /// <summary>The axes to reduce, or null for all of them.</summary>
    public static Seq<int>? Normalize(string op, Variable x, IReadOnlyList<int>? axes)
    {
        if (axes is null) return null;
        var normalized = axes.Select(a => Single(op, x, a)).ToArray();
        if (normalized.Distinct().Count() != normalized.Length)
            throw new ArgumentException($"{op}: repeated axis in ({string.Join(", ", axes)}) for {x} of type {x.type}.");
        return new Seq<int>(normalized.Order());
    }

    /// <summary>One axis, in [-ndim, ndim).</summary>
    public static int Single(string op, Variable x, int axis)
    {
        var a = axis < 0 ? axis + x.ndim : axis;
        if (a < 0 || a >= x.ndim)
            throw new ArgumentException($"{op}: axis {axis} is out of range for {x} of type {x.type}, which has {x.ndim} dimension(s).");
        return a;
    }

    /// <summary>The broadcastable pattern of <paramref name="x"/> without the reduced axes.</summary>
    public static IEnumerable<bool> Kept(Variable x, Seq<int>? axes) =>
        x.type.broadcastable.Where((_, a) => axes is not null && !axes.Contains(a));

    /// <summary>Puts the reduced axes back, as broadcastable ones, so that a reduced value lines up with x.</summary>
    public static Variable Expand(Variable reduced, int ndim, Seq<int>? axes)
    {
        var next = 0;
        return reduced.dimshuffle([.. Enumerable.Range(0, ndim).Select(a => axes is null || axes.Contains(a) ? (object)'x' : next++)]);
    }

    /// <summary>The number of elements of a tensor of this symbolic shape.</summary>
    public static Variable Size(IReadOnlyList<Variable> shape) => shape.Count == 0 ? T.constant(1L) : T.mul([.. shape]);

    /// <summary>Python's tuple text: <c>(0,)</c>, <c>(0, 1)</c>.</summary>
    public static string Tuple(IReadOnlyList<int> axes) => axes.Count == 1 ? $"({axes[0]},)" : $"({string.Join(", ", axes)})";
}
