using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>The device rows of the pooling ops (<see cref="DeviceOps"/> points here), with the shape checks of their
/// <c>Perform</c>.</summary>
public static class PoolDeviceOps
{
    public static DeviceArray[] Forward(Apply node, IOperands x, CallContext c)
    {
        var input = c.Contiguous(x[0]);
        var g = ((Pool)node.op).Geometry(node, input.Shape);
        var output = c.Output(node.outputs[0], input.DType, Pooled(input.Shape, g));
        c.Launcher.Pool(g, input, output);
        return [output];
    }

    public static DeviceArray[] MaxGrad(Apply node, IOperands x, CallContext c)
    {
        var (input, maxout, gz) = (c.Contiguous(x[0]), c.Contiguous(x[1]), c.Contiguous(x[2]));
        var g = ((MaxPoolGrad)node.op).Geometry(node, input.Shape);
        var pooled = Pooled(input.Shape, g);
        RequireShape(node, 1, "maximum", maxout, pooled);
        RequireShape(node, 2, "output gradient", gz, pooled);
        var gx = c.Output(node.outputs[0], input.DType, input.Shape);
        c.Launcher.MaxPoolGrad(g, input, maxout, gz, gx);
        return [gx];
    }

    public static DeviceArray[] AverageGrad(Apply node, IOperands x, CallContext c)
    {
        var gz = c.Contiguous(x[1]);
        var shape = x[0].Shape;
        var g = ((AveragePoolGrad)node.op).Geometry(node, shape);
        RequireShape(node, 1, "output gradient", gz, Pooled(shape, g));
        var gx = c.Output(node.outputs[0], gz.DType, shape);
        c.Launcher.AveragePoolGrad(g, gz, gx);
        return [gx];
    }

    public static DeviceArray[] MaxGradGrad(Apply node, IOperands x, CallContext c)
    {
        var (input, maxout, ggx) = (c.Contiguous(x[0]), c.Contiguous(x[1]), c.Contiguous(x[2]));
        var g = PoolGeometry.Create(input.Shape, PoolParameters.Of(node, 3),
            ((DownsampleFactorMaxGradGrad)node.op).IgnoreBorder, "max");
        var pooled = Pooled(input.Shape, g);
        RequireShape(node, 1, "maximum", maxout, pooled);
        RequireShape(node, 2, "gradient", ggx, input.Shape);
        var ggz = c.Output(node.outputs[0], maxout.DType, pooled);
        c.Launcher.MaxPoolGradGrad(g, input, maxout, ggx, ggz);
        return [ggz];
    }

    private static int[] Pooled(int[] shape, PoolGeometry g) => [.. shape[..^2], g.OutH, g.OutW];

    private static void RequireShape(Apply node, int input, string role, DeviceArray value, int[] expected)
    {
        if (!value.Shape.SequenceEqual(expected))
            throw new ArgumentException($"{node.op.Name}: the {role} {InputNames.Describe(node.inputs[input])} has " +
                $"shape {NDArray.ShapeString(value.Shape)}, expected {NDArray.ShapeString(expected)}.");
    }
}
