namespace Theon.Ops;

/// <summary>The checks the pooling ops share: modes, the image input, and constant (ws, stride, pad) pairs.</summary>
internal static class PoolChecks
{
    public static readonly string[] Modes = ["max", "sum", "average_inc_pad", "average_exc_pad"];

    public static string Props(bool ignoreBorder, string mode) =>
        $"{{ignore_border={(ignoreBorder ? "True" : "False")}, mode='{mode}', ndim=2}}";

    public static void RequireMode(string mode)
    {
        if (!Modes.Contains(mode))
            throw new ArgumentException($"pool_2d: mode must be one of {string.Join(", ", Modes.Select(m => $"'{m}'"))}, got '{mode}'.");
    }

    public static void RequireImage(string op, string role, Variable v)
    {
        if (v.ndim < 2 || !v.type.dtype.IsFloat)
            throw new ArgumentException(
                $"{op}: the {role} {InputNames.Describe(v)} must be a float tensor of at least 2 dimensions (…, rows, columns), got {v.type}.");
    }

    /// <summary>Checks ws, stride and pad (constant integer pairs) and returns them.</summary>
    public static PoolParameters Parameters(string op, Variable ws, Variable stride, Variable pad, bool ignoreBorder)
    {
        var w = Pair(op, "ws", ws);
        var s = Pair(op, "stride", stride);
        var p = Pair(op, "pad", pad);
        if (w.Item1 < 1 || w.Item2 < 1) throw new ArgumentException($"{op}: ws must be positive, got {w}.");
        if (s.Item1 < 1 || s.Item2 < 1) throw new ArgumentException($"{op}: stride must be positive, got {s}.");
        if (p.Item1 < 0 || p.Item2 < 0) throw new ArgumentException($"{op}: pad must not be negative, got {p}.");
        if (p != (0, 0) && !ignoreBorder) throw new ArgumentException($"{op}: padding works only with ignore_border=True, got pad {p}.");
        if (p.Item1 >= w.Item1 || p.Item2 >= w.Item2)
            throw new ArgumentException($"{op}: pad {p} must be smaller than ws {w} on each axis.");
        return PoolParameters.From(w, s, p);
    }

    private static (int, int) Pair(string op, string what, Variable v)
    {
        if (v is not Constant c || !c.type.dtype.IsInteger || c.data.ndim != 1 || c.data.size != 2)
            throw new ArgumentException($"{op}: {what} must be a constant pair of integers, got {v} of type {v.type}.");
        var values = c.data.ToFlatArray<long>();
        return ((int)values[0], (int)values[1]);
    }

    /// <summary>The output type: the input's, with the two pooled axes not broadcastable.</summary>
    public static TensorType PooledType(Variable x) =>
        x.type.WithBroadcastable(x.type.broadcastable.Take(x.ndim - 2).Concat([false, false]));

    public static int[] PooledShape(ReadOnlySpan<int> shape, in PoolGeometry g)
    {
        var result = shape.ToArray();
        (result[^2], result[^1]) = (g.OutH, g.OutW);
        return result;
    }

    /// <summary>The error for an array whose shape is not the pooled shape of the input.</summary>
    public static void RequirePooledShape(string op, string role, Variable v, NDArray value, int[] expected)
    {
        if (!value.Dims.AsSpan().SequenceEqual(expected))
            throw new ArgumentException(
                $"{op}: the {role} {InputNames.Describe(v)} has shape {NDArray.ShapeString(value.shape)}, expected the pooled shape {NDArray.ShapeString(expected)}.");
    }
}
