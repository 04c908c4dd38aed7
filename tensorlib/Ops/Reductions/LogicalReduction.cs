using Theon.Values;

namespace Theon.Ops;

/// <summary>What <see cref="All"/> and <see cref="Any"/> share.</summary>
internal static class LogicalReduction
{
    public static Apply MakeNode(Op op, string function, Seq<int>? axes, Variable[] inputs)
    {
        var x = inputs.Single();
        if (!x.type.dtype.IsBool)
            throw new ArgumentException($"{op}: the input {x} must be bool, got {x.type}; T.{function} compares other dtypes with 0.");
        if (axes is not null && axes.Any(a => a >= x.ndim))
            throw new ArgumentException($"{op}: axis out of range for {x} of type {x.type}.");
        return new Apply(op, [x], [new TensorType(DType.Bool, ReduceAxes.Kept(x, axes))]);
    }

    /// <summary>How many elements are true along the axes, as int64.</summary>
    public static NDArray CountTrue(NDArray x, Seq<int>? axes) => ArrayMath.Sum(x.astype(DType.Int64), axes?.ToArray(), false);

    public static IReadOnlyList<Variable> Shape(IReadOnlyList<Variable> input, Seq<int>? axes) =>
        [.. input.Where((_, a) => axes is not null && !axes.Contains(a))];
}
