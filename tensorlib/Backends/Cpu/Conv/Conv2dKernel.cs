using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary><see cref="AbstractConv2d"/>: per image, im2col then filters (K × C·KH·KW) · columns into the output.</summary>
internal sealed class Conv2dKernel<T>(NodeSlots slots) : ConvWork<T>(slots) where T : unmanaged, INumber<T>
{
    private readonly AbstractConv2d op = (AbstractConv2d)slots.Node.op;
    private readonly int[] shape = new int[4];
    private NDArray? image, filters, output;

    public override void Run(Frame frame)
    {
        (image, filters) = (Contiguous(frame.Input(Slots.Inputs[0])), Contiguous(frame.Input(Slots.Inputs[1])));
        var g = op.Geometry(Slots.Node, image.Dims, filters.Dims);
        (shape[0], shape[1], shape[2], shape[3]) = (g.Batch, g.Filters, g.OutH, g.OutW);
        output = frame.Output(Slots.Outputs[0], shape);
        if (output.size > 0) RunBatch(g);
        (image, filters, output) = (null, null, null);
    }

    protected override void RunImages(int part, int start, int end)
    {
        var g = G;
        var (rows, pixels, k) = (Im2Col.Rows(g), g.OutH * g.OutW, g.Filters);
        var x = Elements(image!);
        var w = Elements(filters!);
        var y = ((T[])output!.Buffer).AsSpan();
        var columns = Columns(part);
        var stage = Staging(part);
        var imageSize = g.Channels * g.Height * g.Width;
        for (var b = start; b < end; b += GroupSize)
        {
            var count = Math.Min(GroupSize, end - b);
            var ld = count * pixels;
            for (var i = 0; i < count; i++) Im2Col.Gather(g, x.Slice((b + i) * imageSize, imageSize), columns[(i * pixels)..], ld);
            var result = y.Slice(b * k * pixels, count * k * pixels);
            Gemm(false, false, k, ld, rows, w, rows, columns, ld, false, count == 1 ? result : stage);
            if (count > 1) Interleave(stage, result, count, k, pixels, toGroup: false);
        }
    }
}
