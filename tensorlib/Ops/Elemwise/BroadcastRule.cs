namespace Theon.Ops;

/// <summary>
/// Theano's broadcast rule for elementwise values, in one place for every backend: on each axis the inputs whose type
/// does not mark the axis broadcastable must have the same length, which the output takes (1 where every input
/// broadcasts); a length-1 axis does not broadcast unless its type says so. The reference <see cref="Elemwise"/>, the
/// CPU loops and the CUDA kernels all ask it, each about the arrays it holds, so they refuse the same calls with the
/// same message.
/// </summary>
public static class BroadcastRule
{
    /// <summary>The input lengths a backend holds: read one axis of one input at a time (a struct, so that the CPU's
    /// steady calls allocate nothing).</summary>
    public interface IShapes
    {
        int Length(int input, int axis);
    }

    /// <summary>Writes the output shape of <paramref name="node"/> into <paramref name="shape"/>; throws the one
    /// mismatch error, naming every input with its shape, where an axis disagrees.</summary>
    public static void OutputShape<TShapes>(Apply node, TShapes shapes, Span<int> shape) where TShapes : IShapes
    {
        var inputs = node.inputs;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            var (length, seen) = (1, false);
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].type.broadcastable[axis]) continue;
                var n = shapes.Length(i, axis);
                if (!seen) (length, seen) = (n, true);
                else if (n != length) throw Mismatch(node, shapes, axis);
            }
            shape[axis] = length;
        }
    }

    private static ArgumentException Mismatch<TShapes>(Apply node, TShapes shapes, int axis)
        where TShapes : IShapes
    {
        var described = node.inputs.Select((v, i) => $"{InputNames.Describe(v)} of shape " +
            NDArray.ShapeString([.. Enumerable.Range(0, v.ndim).Select(a => shapes.Length(i, a))]));
        return new ArgumentException(
            $"{node.op}: input shapes do not match on axis {axis}: {string.Join(" and ", described)}.");
    }

    /// <summary>Host arrays, as the reference implementation holds them.</summary>
    public readonly struct Arrays(IReadOnlyList<NDArray> arrays) : IShapes
    {
        public int Length(int input, int axis) => arrays[input].Dims[axis];
    }
}
