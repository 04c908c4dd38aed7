namespace Theon;

/// <summary>
/// The <c>size</c> argument of <see cref="RandomStreams"/>: lengths (<c>(2, 3)</c>, <c>new[] { 2, 3 }</c>, <c>5</c>),
/// a symbolic integer vector (<c>x.shape</c>), or symbolic scalars (<c>new[] { x.shape[0], n }</c>).
/// </summary>
public readonly struct RandomSize
{
    private RandomSize(Variable vector, int? length) => (Vector, Length) = (vector, length);

    internal Variable Vector { get; }

    /// <summary>The number of axes when the graph fixes it.</summary>
    internal int? Length { get; }

    public static implicit operator RandomSize(int length) => Of([length]);
    public static implicit operator RandomSize(int[] lengths) => Of([.. lengths.Select(n => (long)n)]);
    public static implicit operator RandomSize(long[] lengths) => Of(lengths);
    public static implicit operator RandomSize((int, int) lengths) => Of([lengths.Item1, lengths.Item2]);
    public static implicit operator RandomSize((int, int, int) lengths) => Of([lengths.Item1, lengths.Item2, lengths.Item3]);
    public static implicit operator RandomSize((int, int, int, int) lengths) =>
        Of([lengths.Item1, lengths.Item2, lengths.Item3, lengths.Item4]);

    public static implicit operator RandomSize(Variable vector)
    {
        if (vector.ndim != 1 || vector.type.dtype.IsFloat || vector.type.dtype.IsBool)
            throw new ArgumentException($"size must be an integer vector, got {vector} of type {vector.type}.");
        return new(T.cast(vector, DType.Int64), Ops.Random.RandomOp.SizeLength(vector));
    }

    public static implicit operator RandomSize(Variable[] lengths)
    {
        foreach (var n in lengths)
        {
            if (n.ndim != 0 || n.type.dtype.IsFloat || n.type.dtype.IsBool)
                throw new ArgumentException($"size: each length must be an integer scalar, got {n} of type {n.type}.");
        }
        if (lengths.Length == 0) return Of([]);
        return new(T.stack([.. lengths.Select(n => T.cast(n, DType.Int64))]), lengths.Length);
    }

    private static RandomSize Of(long[] lengths)
    {
        if (lengths.Any(n => n < 0))
            throw new ArgumentException($"size must have non-negative lengths, got ({string.Join(", ", lengths)}).");
        return new(T.constant(NDArray.FromArray(lengths)), lengths.Length);
    }

    public override string ToString() => Vector?.ToString() ?? "()";
}
