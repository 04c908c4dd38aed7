using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <see cref="AbstractConv2dGradInputs"/>: per image, columns = filtersᵀ · output gradient (a GEMM with A transposed
/// by packing), then the columns scattered back (col2im) into the image gradient.
/// </summary>
internal sealed class Conv2dGradInputsKernel<T>(NodeSlots slots) : ConvWork<T>(slots) where T : unmanaged, INumber<T>
{
    private readonly AbstractConv2dGradInputs op = (AbstractConv2dGradInputs)slots.Node.op;
    private readonly int[] shape = new int[4];
    private NDArray? filters, top, output;

    public override void Run(Frame frame)
    {
        (filters, top) = (Contiguous(frame.Input(Slots.Inputs[0])), Contiguous(frame.Input(Slots.Inputs[1])));
        var size = frame.Input(Slots.Inputs[2]);
        var g = Conv2dGeometry.GradInputs(op.Settings, filters.Dims, top.Dims, SizeEntry(size, 0), SizeEntry(size, 1),
            Slots.Node.inputs[0], Slots.Node.inputs[1]);
        (shape[0], shape[1], shape[2], shape[3]) = (g.Batch, g.Channels, g.Height, g.Width);
        output = frame.Output(Slots.Outputs[0], shape);
        if (output.size > 0) RunBatch(g);
        (filters, top, output) = (null, null, null);
    }

    protected override void RunImages(int part, int start, int end)
    {
        var g = G;
        var (rows, pixels, k) = (Im2Col.Rows(g), g.OutH * g.OutW, g.Filters);
        var w = Elements(filters!);
        var gz = Elements(top!);
        var gx = ((T[])output!.Buffer).AsSpan();
        var columns = Columns(part);
        var stage = Staging(part);
        var imageSize = g.Channels * g.Height * g.Width;
        for (var b = start; b < end; b += GroupSize)
        {
            var count = Math.Min(GroupSize, end - b);
            var ld = count * pixels;
            ReadOnlySpan<T> grouped = gz.Slice(b * k * pixels, count * k * pixels);
            if (count > 1)
            {
                Interleave(grouped, stage, count, k, pixels, toGroup: true);
                grouped = stage;
            }
            Gemm(true, false, rows, ld, k, w, rows, grouped, ld, false, columns);
            for (var i = 0; i < count; i++)
            {
                var target = gx.Slice((b + i) * imageSize, imageSize);
                target.Clear();
                Im2Col.ScatterAdd<T>(g, columns[(i * pixels)..], ld, target);
            }
        }
    }
}
