using static Theon.T;

namespace Theon.Ops;

/// <summary>Symbolic shapes as int64 scalars, the form every op's <see cref="Op.InferShape"/> returns.</summary>
internal static class SymbolicShapes
{
    public static Constant Int64(long value) => new(NDArray.Scalar(value));

    public static readonly Constant One = Int64(1);

    /// <summary>The symbolic shape of <paramref name="v"/>: one int64 scalar per axis.</summary>
    public static IReadOnlyList<Variable> Of(Variable v) =>
        [.. Enumerable.Range(0, v.ndim).Select(axis => v.type.broadcastable[axis] ? One : shape(v)[axis])];
}
