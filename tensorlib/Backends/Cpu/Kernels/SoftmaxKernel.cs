using System.Linq.Expressions;
using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// softmax or log-softmax of each row (the last axis) into the planned output, one pass for the maximum, one for
/// the exponentials and their sum, one to normalize; stable as the reference is (the row maximum is subtracted).
/// </summary>
internal sealed class SoftmaxKernel<T>(NodeSlots slots, bool log) : NodeKernel(slots)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] shape = new int[slots.Node.outputs[0].ndim];

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var x = frame.Input(Slots.Inputs[0]);
        x.Dims.CopyTo(shape, 0);
        var output = frame.Output(Slots.Outputs[0], shape);
        var columns = x.Dims[^1];
        var rows = x.ndim == 2 ? x.Dims[0] : 1;
        if (columns == 0 || rows == 0) return;
        var (rowStride, columnStride) = x.ndim == 2 ? (x.Strides[0], x.Strides[1]) : (0, x.Strides[0]);
        var source = (T[])x.Buffer;
        var result = (T[])output.Buffer;
        for (var r = 0; r < rows; r++)
        {
            var start = x.Offset + r * rowStride;
            var target = result.AsSpan(r * columns, columns);
            var max = source[start];
            for (var j = 1; j < columns; j++) max = T.MaxNumber(max, source[start + j * columnStride]);
            for (var j = 0; j < columns; j++) target[j] = source[start + j * columnStride] - max;
            if (log)
            {
                var sum = T.Zero;
                for (var j = 0; j < columns; j++) sum += T.Exp(target[j]);
                var logSum = T.Log(sum);
                for (var j = 0; j < columns; j++) target[j] -= logSum;
            }
            else
            {
                var sum = T.Zero;
                for (var j = 0; j < columns; j++) sum += target[j] = T.Exp(target[j]);
                for (var j = 0; j < columns; j++) target[j] /= sum;
            }
        }
    }

    /// <summary>Row by row, the loop's arithmetic: the maximum, the shifted values, their exponentials and sum.</summary>
    public override bool Unroll(Unrolled.Unroller u)
    {
        if (u.Elements(Slots.Inputs[0]) is not { } x || !u.Spend(4L * x.Length)) return false;
        var t = typeof(T);
        Expression Call(string name, params Expression[] args) =>
            Expression.Call(t.GetMethod(name, [.. args.Select(_ => t)])!, args);
        var columns = u.Recorded(Slots.Inputs[0]).Dims[^1];
        var result = new Expression[x.Length];
        for (var start = 0; start + columns <= x.Length && columns > 0; start += columns)
        {
            var max = x[start];
            for (var j = 1; j < columns; j++) max = u.Assign(Call("MaxNumber", max, x[start + j]));
            var shifted = Enumerable.Range(start, columns).Select(i => u.Assign(Expression.Subtract(x[i], max)))
                .ToArray();
            var exps = log ? shifted.Select(s => (Expression)Call("Exp", s)).ToArray()
                : [.. shifted.Select(s => u.Assign(Call("Exp", s)))];
            Expression sum = Expression.Constant(T.Zero, t);
            foreach (var e in exps) sum = u.Assign(Expression.Add(sum, e));
            var logSum = log ? u.Assign(Call("Log", sum)) : null;
            for (var j = 0; j < columns; j++)
                result[start + j] = u.Assign(log ? Expression.Subtract(shifted[j], logSum!)
                    : Expression.Divide(exps[j], sum));
        }
        u.Define(Slots.Outputs[0], result);
        return true;
    }

    public static NodeKernel? Create(NodeSlots s, bool log)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        return dtype == DType.Float64 ? new SoftmaxKernel<double>(s, log)
            : dtype == DType.Float32 ? new SoftmaxKernel<float>(s, log)
            : null;
    }
}
