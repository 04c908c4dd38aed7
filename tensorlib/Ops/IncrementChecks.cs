using static Theon.T;

namespace Theon.Ops;

/// <summary>The type checks <see cref="IncSubtensor"/> and <see cref="AdvancedIncSubtensor"/> share.</summary>
internal static class IncrementChecks
{
    /// <summary>
    /// <paramref name="y"/> must fit the selected part of <paramref name="x"/>: no more dimensions, a dtype x holds
    /// without loss (numpy would truncate 1.5 into an int vector silently). Lengths are checked when it runs.
    /// </summary>
    public static void Check(string op, Variable x, Variable y, TensorType selected)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.ndim > selected.ndim)
            throw new ArgumentException($"{op}: the value y ({y}) has type {y.type}, with more dimensions than the selected part of x ({x}), of type {selected}.");
        if (!DType.CanCastSafely(y.type.dtype, x.type.dtype))
            throw new ArgumentException($"{op}: the value y ({y}) has dtype {y.type.dtype}, which x ({x}, dtype {x.type.dtype}) cannot hold without loss; cast it first.");
    }

    /// <summary>The value of y must broadcast to the selected part's shape.</summary>
    public static void CheckFits(Apply node, NDArray y, int[] selected) => CheckFits(node, y.shape, selected);

    /// <summary>The same check on the shape of y where its value lives elsewhere (device memory).</summary>
    public static void CheckFits(Apply node, int[] y, int[] selected)
    {
        if (!Values.Shapes.CanBroadcastTo(y, selected))
            throw new ArgumentException($"{node.op}: the value y ({node.inputs[1]}) has shape {NDArray.ShapeString(y)}, which does not broadcast to the selected part of x ({node.inputs[0]}), of shape {NDArray.ShapeString(selected)}.");
    }

    /// <summary>A zero scalar of <paramref name="like"/>'s dtype, to clear a selection.</summary>
    public static Variable Zero(Variable like) => constant(NDArray.Scalar(0, like.type.dtype));
}
