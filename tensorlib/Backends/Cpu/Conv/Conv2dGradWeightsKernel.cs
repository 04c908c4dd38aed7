using System.Numerics;
using System.Numerics.Tensors;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <see cref="AbstractConv2dGradWeights"/>: per image, im2col then filter gradient += output gradient · columnsᵀ
/// (B transposed by packing). Each part accumulates its images in a buffer of its own (part 0 in the output), and
/// the parts are summed at the end.
/// </summary>
internal sealed class Conv2dGradWeightsKernel<T>(NodeSlots slots) : ConvWork<T>(slots) where T : unmanaged, INumber<T>
{
    private readonly AbstractConv2dGradWeights op = (AbstractConv2dGradWeights)slots.Node.op;
    private readonly int[] shape = new int[4];
    private T[][] partials = [];
    private NDArray? image, top, output;

    public override void Run(Frame frame)
    {
        (image, top) = (Contiguous(frame.Input(Slots.Inputs[0])), Contiguous(frame.Input(Slots.Inputs[1])));
        var size = frame.Input(Slots.Inputs[2]);
        var g = Conv2dGeometry.GradWeights(op.Settings, image.Dims, top.Dims, SizeEntry(size, 0), SizeEntry(size, 1),
            Slots.Node.inputs[0], Slots.Node.inputs[1]);
        (shape[0], shape[1], shape[2], shape[3]) = (g.Filters, g.Channels, g.KH, g.KW);
        output = frame.Output(Slots.Outputs[0], shape);
        var result = ((T[])output.Buffer).AsSpan(0, output.size);
        if (g.Batch == 0 || g.OutH * g.OutW == 0)
        {
            result.Clear();
        }
        else
        {
            var parts = Math.Max(1, Math.Min(Theon.T.config.EffectiveThreads, g.Batch));
            if (partials.Length < parts) Array.Resize(ref partials, parts);
            for (var p = 1; p < parts; p++)
            {
                if (partials[p] is not { } buffer || buffer.Length < result.Length) partials[p] = new T[result.Length];
            }
            parts = RunBatch(g);
            for (var p = 1; p < parts; p++) TensorPrimitives.Add(result, partials[p].AsSpan(0, result.Length), result);
        }
        (image, top, output) = (null, null, null);
    }

    protected override void RunImages(int part, int start, int end)
    {
        var g = G;
        var (rows, pixels, k) = (Im2Col.Rows(g), g.OutH * g.OutW, g.Filters);
        var x = Elements(image!);
        var gz = Elements(top!);
        var size = k * rows;
        var target = part == 0 ? ((T[])output!.Buffer).AsSpan(0, size) : partials[part].AsSpan(0, size);
        var columns = Columns(part);
        var stage = Staging(part);
        var imageSize = g.Channels * g.Height * g.Width;
        for (var b = start; b < end; b += GroupSize)
        {
            var count = Math.Min(GroupSize, end - b);
            var ld = count * pixels;
            for (var i = 0; i < count; i++) Im2Col.Gather(g, x.Slice((b + i) * imageSize, imageSize), columns[(i * pixels)..], ld);
            ReadOnlySpan<T> grouped = gz.Slice(b * k * pixels, count * k * pixels);
            if (count > 1)
            {
                Interleave(grouped, stage, count, k, pixels, toGroup: true);
                grouped = stage;
            }
            Gemm(false, true, k, rows, ld, grouped, ld, columns, ld, b > start, target);
        }
    }
}
