using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <see cref="CrossentropySoftmax1Hot"/> into the planned output: per row the maximum, the sum of the shifted
/// exponentials, and <c>log(sum) - (x[y] - max)</c>; no softmax is stored.
/// </summary>
internal sealed class CrossentropySoftmaxKernel<T>(NodeSlots slots) : NodeKernel(slots)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] shape = new int[1];

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var (x, y) = (frame.Input(Slots.Inputs[0]), frame.Input(Slots.Inputs[1]));
        Labels.Check(Slots.Node.op.Name, x, y);
        shape[0] = x.Dims[0];
        var result = (T[])frame.Output(Slots.Outputs[0], shape).Buffer;
        var (source, columns) = ((T[])x.Buffer, x.Dims[1]);
        var (rowStride, columnStride) = (x.Strides[0], x.Strides[1]);
        for (var r = 0; r < shape[0]; r++)
        {
            var start = x.Offset + r * rowStride;
            var max = source[start];
            for (var j = 1; j < columns; j++) max = T.MaxNumber(max, source[start + j * columnStride]);
            var sum = T.Zero;
            for (var j = 0; j < columns; j++) sum += T.Exp(source[start + j * columnStride] - max);
            result[r] = T.Log(sum) - (source[start + (int)Labels.At(y, r) * columnStride] - max);
        }
    }

    public static NodeKernel? Create(NodeSlots s)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        return dtype == DType.Float64 ? new CrossentropySoftmaxKernel<double>(s)
            : dtype == DType.Float32 ? new CrossentropySoftmaxKernel<float>(s)
            : null;
    }
}

/// <summary><see cref="CrossentropySoftmax1HotDx"/> into the planned output:
/// <c>dnll[i] * (sm[i, j] - (j == y[i]))</c>.</summary>
internal sealed class CrossentropySoftmaxDxKernel<T>(NodeSlots slots) : NodeKernel(slots)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] shape = new int[2];

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var (dnll, sm, y) = (frame.Input(Slots.Inputs[0]), frame.Input(Slots.Inputs[1]), frame.Input(Slots.Inputs[2]));
        Labels.Check(Slots.Node.op.Name, sm, y);
        if (dnll.Dims[0] != sm.Dims[0])
            throw new ArgumentException($"{Slots.Node.op.Name}: dnll of shape {NDArray.ShapeString(dnll.shape)} " +
                $"does not match softmax of shape {NDArray.ShapeString(sm.shape)}.");
        sm.Dims.CopyTo(shape, 0);
        var result = (T[])frame.Output(Slots.Outputs[0], shape).Buffer;
        var (probabilities, gradients, columns) = ((T[])sm.Buffer, (T[])dnll.Buffer, shape[1]);
        for (var r = 0; r < shape[0]; r++)
        {
            var g = gradients[dnll.Offset + r * dnll.Strides[0]];
            var start = sm.Offset + r * sm.Strides[0];
            var target = result.AsSpan(r * columns, columns);
            for (var j = 0; j < columns; j++) target[j] = g * probabilities[start + j * sm.Strides[1]];
            target[(int)Labels.At(y, r)] -= g;
        }
    }

    public static NodeKernel? Create(NodeSlots s)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        return s.Node.inputs[0].type.dtype != dtype ? null
            : dtype == DType.Float64 ? new CrossentropySoftmaxDxKernel<double>(s)
            : dtype == DType.Float32 ? new CrossentropySoftmaxDxKernel<float>(s)
            : null;
    }
}

/// <summary>Reading and checking integer labels without copying them.</summary>
internal static class Labels
{
    public static long At(NDArray y, int i)
    {
        var at = y.Offset + i * y.Strides[0];
        return y.Buffer switch
        {
            long[] v => v[at],
            int[] v => v[at],
            short[] v => v[at],
            sbyte[] v => v[at],
            byte[] v => v[at],
            ushort[] v => v[at],
            uint[] v => v[at],
            _ => throw new ArgumentException($"labels must hold integers, got dtype {y.dtype}."),
        };
    }

    public static void Check(string op, NDArray x, NDArray y)
    {
        if (y.ndim != 1 || y.Dims[0] != x.Dims[0])
            throw new ArgumentException($"{op}: labels of shape {NDArray.ShapeString(y.shape)} do not match " +
                $"{x.Dims[0]} rows of shape {NDArray.ShapeString(x.shape)}.");
        for (var i = 0; i < y.Dims[0]; i++)
        {
            var label = At(y, i);
            if (label < 0 || label >= x.Dims[1])
                throw new ArgumentException($"{op}: label {label} is outside [0, {x.Dims[1]}) for shape " +
                    $"{NDArray.ShapeString(x.shape)}.");
        }
    }
}
