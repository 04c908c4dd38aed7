namespace Theon.Ops;

/// <summary>
/// The reference loops of the ops that work along one axis (cumsum, sort): each 1-d lane along the axis, or the
/// whole array flattened when the axis is null, is handed to a function over spans.
/// </summary>
internal static class AxisLanes
{
    public delegate void Lane<TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output);

    /// <summary>The lanes of <paramref name="x"/> mapped by <paramref name="lane"/>: x's shape, or a vector when <paramref name="axis"/> is null.</summary>
    public static NDArray Map<TIn, TOut>(NDArray x, int? axis, Lane<TIn, TOut> lane)
        where TIn : unmanaged where TOut : unmanaged
    {
        if (axis is null) return Map(x.Copy().reshape(x.size), 0, lane);
        var at = axis.Value;
        var perm = Enumerable.Range(0, x.ndim).Where(a => a != at).Append(at).ToArray();
        var moved = x.transpose(perm);
        var data = moved.ToFlatArray<TIn>();
        var output = new TOut[data.Length];
        var n = x.shape[at];
        for (var start = 0; n > 0 && start < data.Length; start += n)
            lane(data.AsSpan(start, n), output.AsSpan(start, n));
        var inverse = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return NDArray.FromArray(output).reshape(moved.shape).transpose(inverse);
    }

    /// <summary>
    /// The lanes mapped in float64 for a float <paramref name="dtype"/>, in int64 otherwise, and the result cast to
    /// <paramref name="dtype"/>.
    /// </summary>
    public static NDArray MapIn(DType dtype, NDArray x, int? axis, Lane<double, double> floats, Lane<long, long> integers) =>
        (dtype.IsFloat ? Map(x, axis, floats) : Map(x, axis, integers)).astype(dtype);

    /// <summary>The comparison numpy sorts by: NaN after every number.</summary>
    public static int NaNLast(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);
}
