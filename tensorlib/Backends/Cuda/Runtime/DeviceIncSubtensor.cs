using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// <see cref="IncSubtensor"/> on the device (the gradient of basic indexing; scan's gradients pad and place rows with
/// it): <c>x</c> copied into the output, then <c>y</c> added into (or written over) the selected part, a view, by one
/// loop kernel that reads and writes each element of the view in place.
/// </summary>
internal static class DeviceIncSubtensor
{
    public static DeviceArray[] Run(Apply node, IOperands x, CallContext c)
    {
        var op = (IncSubtensor)node.op;
        var (source, y) = (x[0], x[1]);
        var result = c.Output(node.outputs[0], source.DType, source.Shape);
        c.Launcher.LoopInto(LoopBody.Convert(source.DType, source.DType), [source], source.Shape, result);
        var view = BasicIndexing.View(result, op.Specs, [.. Enumerable.Range(2, x.Count - 2).Select(x.Host)]);
        if (!Values.Shapes.CanBroadcastTo(y.Shape, view.Shape))
            throw new ArgumentException($"{op}: the value y ({node.inputs[1]}) has shape {NDArray.ShapeString(y.Shape)}, " +
                $"which does not broadcast to the selected part of x ({node.inputs[0]}), of shape " +
                $"{NDArray.ShapeString(view.Shape)}.");
        var pad = view.Ndim - y.Ndim;
        var broadcast = y.View(view.Shape, [.. view.Shape.Select((_, axis) =>
            axis < pad || y.Shape[axis - pad] == 1 ? 0 : y.Strides[axis - pad])], y.Offset);
        var body = op.SetInstead ? LoopBody.Convert(y.DType, source.DType)
            : new LoopBody(ScalarExpr.Of(Add.Op, 2), new([source.DType, y.DType]), source.DType);
        c.Launcher.LoopInto(body, op.SetInstead ? [broadcast] : [view, broadcast], view.Shape, view);
        return [result];
    }
}
