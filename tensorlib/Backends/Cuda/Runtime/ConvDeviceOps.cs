using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The device rows of the convolution and pooling ops (<see cref="DeviceOps"/> points here). A convolution takes
/// its images in groups whose column matrices fit <see cref="MaxColumnElements"/>: im2col, then the device GEMM
/// (cuBLAS on a GPU); the gradient with respect to the input is the GEMM into the columns, then col2im; the gradient
/// with respect to the filters multiplies the output gradient, its images side by side, by the columns of the same
/// layout, accumulated over the groups. Column buffers are the call's temporaries, from the function's arena, so a
/// steady step allocates nothing and its work can be captured in a CUDA graph.
/// </summary>
public static class ConvDeviceOps
{
    /// <summary>The largest column buffer, in elements (128 MB of float32); larger batches go in groups.</summary>
    public const long MaxColumnElements = 1L << 25;

    /// <summary>A smaller bound for the calls made on this thread, so tests can split small batches into
    /// groups.</summary>
    [ThreadStatic]
    internal static long? ColumnElementsOnThisThread;

    /// <summary>Whether the device rows take <paramref name="node"/>: float32 or float64, one dtype throughout
    /// (AveragePoolGrad reads its first input only for its shape).</summary>
    public static bool Runs(Apply node)
    {
        var dtype = node.outputs[0].type.dtype;
        if (dtype != DType.Float32 && dtype != DType.Float64) return false;
        var tensors = node.op switch
        {
            AveragePoolGrad => node.inputs.Skip(1).Take(1),
            Pool => node.inputs.Take(1),
            MaxPoolGrad or DownsampleFactorMaxGradGrad => node.inputs.Take(3),
            _ => node.inputs.Take(2),
        };
        return tensors.All(v => v.type.dtype == dtype);
    }

    private static int GroupSize(Conv2dGeometry g)
    {
        var perImage = Math.Max(1L, (long)g.Channels * g.KH * g.KW * g.OutH * g.OutW);
        var bound = ColumnElementsOnThisThread ?? MaxColumnElements;
        return (int)Math.Clamp(bound / perImage, 1, Math.Max(g.Batch, 1));
    }

    private static ulong At(DeviceArray a, long elements) => a.Pointer + (ulong)(elements * a.DType.ItemSize);

    // An empty output, or one with no terms to sum (no channels, filters, images or pixels), is done: zeros.
    private static bool Trivial(Device device, DeviceArray output, long terms)
    {
        if (output.Size > 0 && terms == 0) device.Zero(output.Pointer, output.Size * output.DType.ItemSize);
        return output.Size == 0 || terms == 0;
    }

    public static DeviceArray[] Forward(Apply node, IOperands x, CallContext c)
    {
        var (image, filters) = (c.Contiguous(x[0]), c.Contiguous(x[1]));
        var g = ((AbstractConv2d)node.op).Geometry(node, image.Shape, filters.Shape);
        var (device, dtype) = (c.Launcher.Device, image.DType);
        var output = c.Output(node.outputs[0], dtype, g.OutputShape);
        var (rows, pixels) = (g.Channels * g.KH * g.KW, g.OutH * g.OutW);
        if (Trivial(device, output, rows)) return [output];
        var group = GroupSize(g);
        var columns = c.Track(DeviceArray.Temporary(device, dtype, [group, rows, pixels]));
        for (var first = 0; first < g.Batch; first += group)
        {
            var n = Math.Min(group, g.Batch - first);
            c.Launcher.Im2Col(g, dtype, At(image, (long)first * g.Channels * g.Height * g.Width), columns.Pointer, n,
                (long)rows * pixels, pixels);
            device.GemmStridedBatched(dtype, false, false, g.Filters, pixels, rows, filters.Pointer, rows, 0,
                columns.Pointer, pixels, (long)rows * pixels, At(output, (long)first * g.Filters * pixels), pixels,
                (long)g.Filters * pixels, n, accumulate: false);
        }
        return [output];
    }

    public static DeviceArray[] GradInputs(Apply node, IOperands x, CallContext c)
    {
        var (filters, top) = (c.Contiguous(x[0]), c.Contiguous(x[1]));
        var g = ((AbstractConv2dGradInputs)node.op).Geometry(node, filters.Shape, top.Shape, x.Host(2));
        var (device, dtype) = (c.Launcher.Device, top.DType);
        var output = c.Output(node.outputs[0], dtype, g.ImageShape);
        var (rows, pixels) = (g.Channels * g.KH * g.KW, g.OutH * g.OutW);
        if (Trivial(device, output, g.Filters)) return [output];
        var group = GroupSize(g);
        var columns = c.Track(DeviceArray.Temporary(device, dtype, [group, rows, pixels]));
        for (var first = 0; first < g.Batch; first += group)
        {
            var n = Math.Min(group, g.Batch - first);
            device.GemmStridedBatched(dtype, true, false, rows, pixels, g.Filters, filters.Pointer, rows, 0,
                At(top, (long)first * g.Filters * pixels), pixels, (long)g.Filters * pixels, columns.Pointer, pixels,
                (long)rows * pixels, n, accumulate: false);
            c.Launcher.Col2Im(g, dtype, columns.Pointer, At(output, (long)first * g.Channels * g.Height * g.Width), n,
                (long)rows * pixels, pixels);
        }
        return [output];
    }

    public static DeviceArray[] GradWeights(Apply node, IOperands x, CallContext c)
    {
        var (image, top) = (c.Contiguous(x[0]), c.Contiguous(x[1]));
        var g = ((AbstractConv2dGradWeights)node.op).Geometry(node, image.Shape, top.Shape, x.Host(2));
        var (device, dtype) = (c.Launcher.Device, image.DType);
        var output = c.Output(node.outputs[0], dtype, g.FilterShape);
        var (rows, pixels) = (g.Channels * g.KH * g.KW, g.OutH * g.OutW);
        if (Trivial(device, output, (long)g.Batch * pixels)) return [output];
        var group = GroupSize(g);
        var columns = c.Track(DeviceArray.Temporary(device, dtype, [rows, group * pixels]));
        var gradients = c.Track(DeviceArray.Temporary(device, dtype, [g.Filters, group, pixels]));
        var copy = Codegen.LoopBody.Convert(dtype, dtype);
        for (var first = 0; first < g.Batch; first += group)
        {
            var n = Math.Min(group, g.Batch - first);
            // The images side by side: (filters, images, pixels) from the output gradient's (images, filters, pixels).
            var side = gradients.View([g.Filters, n, pixels], DeviceArray.ContiguousStrides([g.Filters, n, pixels]),
                gradients.Offset);
            var part = top.View([g.Filters, n, pixels], [pixels, (long)g.Filters * pixels, 1],
                top.Offset + (long)first * g.Filters * pixels);
            c.Launcher.LoopInto(copy, [part], [g.Filters, n, pixels], side);
            c.Launcher.Im2Col(g, dtype, At(image, (long)first * g.Channels * g.Height * g.Width), columns.Pointer, n,
                pixels, (long)n * pixels);
            device.GemmStridedBatched(dtype, false, true, g.Filters, rows, n * pixels, side.Pointer, n * pixels, 0,
                columns.Pointer, n * pixels, 0, output.Pointer, rows, 0, 1, accumulate: first > 0);
        }
        return [output];
    }
}
