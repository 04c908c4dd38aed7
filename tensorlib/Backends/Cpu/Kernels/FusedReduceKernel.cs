using Theon.Ops;
using System.Numerics;
using Theon.Backends.Cpu.Fusion;
using Theon.Backends.Cpu.Unrolled;

namespace Theon.Backends.Cpu;

/// <summary>
/// A <see cref="FusedReduce"/>: each row of the elementwise loop is generated into a scratch row and folded into
/// a float64 accumulator, so the elementwise result is never written out whole.
/// </summary>
internal sealed class FusedReduceKernel<T> : NodeKernel, INaNCheckingKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int code;
    private readonly bool[] reduced;
    private readonly int[] shape;
    private readonly int[] outShape;
    private readonly LoopNest loop;
    private readonly int[][] strides;
    private readonly int[] offsets;
    private readonly int[] rowOffsets;
    private readonly FusedLoopInputs<T> loopInputs;
    private double[] accumulator = [];
    private T[] row = [];
    private bool sawNaN;

    public FusedReduceKernel(NodeSlots slots, FusedReduce op) : base(slots)
    {
        code = ReduceKernel<T>.Code(op.Reduction.Kind);
        var node = slots.Node;
        var ndim = node.inputs[0].ndim;
        reduced = [.. Enumerable.Range(0, ndim).Select(a => op.Reduction.Axes is null
            || op.Reduction.Axes.Contains(a))];
        shape = new int[ndim];
        outShape = new int[node.outputs[0].ndim];
        var operands = node.inputs.Count + 1;
        loop = new LoopNest(operands, ndim);
        strides = [.. Enumerable.Range(0, operands).Select(_ => new int[ndim])];
        offsets = new int[operands];
        rowOffsets = new int[operands];
        loopInputs = new FusedLoopInputs<T>(op.Body, node.inputs.Count);
    }

    public override bool WritesPlannedOutputs => true;

    public bool MayHaveSeenNaN => sawNaN;

    public void CheckNaN(int input) => loopInputs.CheckNaN(input);

    /// <summary>The body over the broadcast inputs, folded as <see cref="ReduceKernel{T}"/> folds.</summary>
    public override bool Unroll(Unroller u)
    {
        if (u.ElementsOf(Slots.Inputs) is not { } inputs) return false;
        var inputShapes = Slots.Inputs.Select(s => u.Recorded(s).Dims).ToArray();
        var loopShape = Enumerable.Range(0, shape.Length).Select(a => inputShapes.Max(d => d[a])).ToArray();
        var groups = Unroller.ReductionGroups(loopShape, reduced);
        if (!u.Spend(groups.Sum(g => g.Count))) return false;
        var body = ((FusedReduce)Slots.Node.op).Body;
        return u.Compute(Slots.Outputs[0], i => ReduceKernel<T>.Fold(u, code, groups[i].Select(f =>
            u.Scalar(body, k => inputs[k][Unroller.BroadcastIndex(f, loopShape, inputShapes[k])],
                typeof(T)))));
    }

    public override void Run(Frame frame)
    {
        sawNaN = loopInputs.ChecksNaN;   // until a loop has read every element
        var inputs = Slots.Inputs;
        BroadcastShape(frame, shape);
        for (int axis = 0, o = 0; axis < shape.Length; axis++)
        {
            if (!reduced[axis]) outShape[o++] = shape[axis];
        }
        var output = frame.Output(Slots.Outputs[0], outShape);
        var count = output.size;
        if (accumulator.Length < count) accumulator = new double[count];
        var acc = accumulator.AsSpan(0, count);
        acc.Fill(ReduceKernel<T>.Seed(code));
        var stride = 1;
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[0][axis] = reduced[axis] ? 0 : stride;
            if (!reduced[axis]) stride *= shape[axis];
        }
        offsets[0] = 0;
        loopInputs.Bind(frame, inputs, offsets, strides);
        loop.Prepare(shape, strides, offsets);
        if (loop.Rows > 0 && loop.InnerLength > 0)
        {
            sawNaN = false;
            var fused = loopInputs.Select(loop);
            if (row.Length < loop.InnerLength) row = new T[loop.InnerLength];
            do
            {
                Array.Copy(loop.Offsets, rowOffsets, rowOffsets.Length);
                rowOffsets[0] = 0;
                sawNaN |= fused(loopInputs.Arrays, rowOffsets, loop.InnerStrides, row, loop.InnerLength);
                ReduceKernel<T>.Accumulate(code, row, 0, 1, acc, loop.Offsets[0], loop.InnerStrides[0],
                    loop.InnerLength);
            }
            while (loop.Next());
        }
        var result = ((T[])output.Buffer).AsSpan(0, count);
        for (var i = 0; i < count; i++) result[i] = T.CreateTruncating(acc[i]);
    }
}
