using Theon.Values;

namespace Theon.Ops;

/// <summary>One entry of a basic index: a scalar index (removes the axis) or a slice with optional symbolic parts.</summary>
public abstract record IndexSpec
{
    public abstract int InputCount { get; }
}

public sealed record ScalarIndex : IndexSpec
{
    public static readonly ScalarIndex Instance = new();
    public override int InputCount => 1;
    public override string ToString() => "int64";
}

public sealed record SliceIndex(bool HasStart, bool HasStop, bool HasStep) : IndexSpec
{
    public override int InputCount => (HasStart ? 1 : 0) + (HasStop ? 1 : 0) + (HasStep ? 1 : 0);
    public override string ToString() => $"{(HasStart ? "int64" : "")}:{(HasStop ? "int64" : "")}:{(HasStep ? "int64" : "")}";
}

/// <summary>The index plan shared by <see cref="Subtensor"/> and <see cref="IncSubtensor"/>.</summary>
internal static class BasicIndexing
{
    public static TensorType OutputType(TensorType x, Seq<IndexSpec> specs)
    {
        if (specs.Count > x.ndim) throw new ArgumentException($"too many indices ({specs.Count}) for {x} with {x.ndim} dimension(s).");
        var pattern = new List<bool>();
        for (var axis = 0; axis < x.ndim; axis++)
        {
            if (axis >= specs.Count) pattern.Add(x.broadcastable[axis]);
            else if (specs[axis] is SliceIndex s) pattern.Add(x.broadcastable[axis] && !s.HasStart && !s.HasStop && !s.HasStep);
        }
        return x.WithBroadcastable(pattern);
    }

    public static void CheckIndices(IEnumerable<Variable> indices)
    {
        foreach (var index in indices)
        {
            if (index.ndim != 0 || !(index.type.dtype.IsInteger))
                throw new ArgumentException($"an index must be an integer scalar, got {index} of type {index.type}.");
        }
    }

    /// <summary>The view of <paramref name="x"/> selected by the specs, given the index values in order.</summary>
    public static TArray View<TArray>(TArray x, Seq<IndexSpec> specs, ReadOnlySpan<NDArray> indices)
        where TArray : ISliceable<TArray>
    {
        var next = 0;
        var axis = 0;
        foreach (var spec in specs)
        {
            if (spec is SliceIndex s)
            {
                int? start = s.HasStart ? (int)(long)indices[next++] : null;
                int? stop = s.HasStop ? (int)(long)indices[next++] : null;
                var step = s.HasStep ? (int)(long)indices[next++] : 1;
                x = x.Slice(axis, start, stop, step);
                axis++;
                continue;
            }
            var i = (long)indices[next++];
            var n = x.Length(axis);
            if (i < -n || i >= n) throw new IndexOutOfRangeException($"index {i} is out of bounds for axis {axis} with size {n}.");
            var at = (int)(i < 0 ? i + n : i);
            x = x.Slice(axis, at, at + 1, 1).Squeezed(axis);
        }
        return x;
    }

    public static string Pp(Seq<IndexSpec> specs, string x, IReadOnlyList<string> indices)
    {
        var next = 0;
        var parts = new List<string>();
        foreach (var spec in specs)
        {
            if (spec is SliceIndex s)
            {
                var start = s.HasStart ? indices[next++] : "";
                var stop = s.HasStop ? indices[next++] : "";
                parts.Add(s.HasStep ? $"{start}:{stop}:{indices[next++]}" : $"{start}:{stop}");
            }
            else parts.Add(indices[next++]);
        }
        return $"{x}[{string.Join(", ", parts)}]";
    }
}
