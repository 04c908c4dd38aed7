using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <c>Cast</c> of any numeric array to float32 or float64 into the planned output (the conversion C#'s numeric cast
/// makes, as <see cref="NDArray.astype(DType)"/> does), such as the batch size cast to the float type in
/// <c>mean</c>.
/// </summary>
internal sealed class CastKernel<TTo> : NodeKernel where TTo : unmanaged, IFloatingPointIeee754<TTo>
{
    private readonly int[] shape;
    private readonly LoopNest loop;
    private readonly int[][] strides;
    private readonly int[] offsets = new int[2];

    private CastKernel(NodeSlots slots) : base(slots)
    {
        var ndim = slots.Node.outputs[0].ndim;
        shape = new int[ndim];
        loop = new LoopNest(2, ndim);
        strides = [new int[ndim], new int[ndim]];
    }

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var x = frame.Input(Slots.Inputs[0]);
        x.Dims.CopyTo(shape, 0);
        var output = frame.Output(Slots.Outputs[0], shape);
        output.Strides.CopyTo(strides[0], 0);
        x.Strides.CopyTo(strides[1], 0);
        (offsets[0], offsets[1]) = (output.Offset, x.Offset);
        loop.Prepare(shape, strides, offsets);
        if (loop.Rows == 0 || loop.InnerLength == 0) return;
        var target = (TTo[])output.Buffer;
        switch (x.Buffer)
        {
            case long[] source: Convert(source, target); break;
            case int[] source: Convert(source, target); break;
            case short[] source: Convert(source, target); break;
            case sbyte[] source: Convert(source, target); break;
            case byte[] source: Convert(source, target); break;
            case float[] source: Convert(source, target); break;
            case double[] source: Convert(source, target); break;
            default: throw new ArgumentException($"{Slots.Node.op}: cannot cast dtype {x.dtype}.");
        }
    }

    private void Convert<TFrom>(TFrom[] source, TTo[] target) where TFrom : unmanaged, INumberBase<TFrom>
    {
        var (targetStride, sourceStride) = (loop.InnerStrides[0], loop.InnerStrides[1]);
        do
        {
            var (t, s) = (loop.Offsets[0], loop.Offsets[1]);
            for (var i = 0; i < loop.InnerLength; i++, t += targetStride, s += sourceStride)
                target[t] = TTo.CreateTruncating(source[s]);
        }
        while (loop.Next());
    }

    public override bool Unroll(Unrolled.Unroller u) =>
        u.Elements(Slots.Inputs[0]) is { } x
        && u.Compute(Slots.Outputs[0], i => System.Linq.Expressions.Expression.Convert(x[i], typeof(TTo)));

    public static NodeKernel? Create(NodeSlots s)
    {
        var (from, to) = (s.Node.inputs[0].type.dtype, s.Node.outputs[0].type.dtype);
        if (from == DType.Bool) return null;
        return to == DType.Float64 ? new CastKernel<double>(s) : to == DType.Float32 ? new CastKernel<float>(s) : null;
    }
}
