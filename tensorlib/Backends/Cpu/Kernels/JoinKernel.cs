using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>Concatenation along an axis, each input copied row by row into its part of the planned output.</summary>
internal sealed class JoinKernel : NodeKernel
{
    private readonly int axis;
    private readonly int[] shape;
    private readonly LoopNest loop;
    private readonly int[][] strides;
    private readonly int[] offsets = new int[2];

    public JoinKernel(NodeSlots slots, Join op) : base(slots)
    {
        var ndim = slots.Node.outputs[0].ndim;
        axis = op.Axis;
        shape = new int[ndim];
        loop = new LoopNest(2, ndim);
        strides = [new int[ndim], new int[ndim]];
    }

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var first = frame.Input(Slots.Inputs[0]);
        first.Dims.CopyTo(shape, 0);
        shape[axis] = 0;
        foreach (var slot in Slots.Inputs)
        {
            var x = frame.Input(slot);
            for (var a = 0; a < shape.Length; a++)
            {
                if (a != axis && x.Dims[a] != first.Dims[a]) throw Mismatch(frame, a);
            }
            shape[axis] += x.Dims[axis];
        }
        var output = frame.Output(Slots.Outputs[0], shape);
        var start = 0;
        foreach (var slot in Slots.Inputs)
        {
            var x = frame.Input(slot);
            for (var a = 0; a < shape.Length; a++) (strides[0][a], strides[1][a]) = (output.Strides[a], x.Strides[a]);
            (offsets[0], offsets[1]) = (output.Offset + start * output.Strides[axis], x.Offset);
            loop.Prepare(x.Dims, strides, offsets);
            if (loop.Rows > 0)
            {
                do CopyRow(x.Buffer, output.Buffer);
                while (loop.Next());
            }
            start += x.Dims[axis];
        }
    }

    /// <summary>The inputs' elements rearranged, nothing computed.</summary>
    public override bool Unroll(Unrolled.Unroller u)
    {
        if (u.ElementsOf(Slots.Inputs) is not { } parts) return false;
        var shapes = Slots.Inputs.Select(s => u.Recorded(s).Dims).ToArray();
        var result = u.Recorded(Slots.Outputs[0]).Dims;
        var (outer, inner) = (result[..axis].Aggregate(1, (a, n) => a * n), result[(axis + 1)..].Aggregate(1,
            (a, n) => a * n));
        var elements = new List<System.Linq.Expressions.Expression>();
        for (var o = 0; o < outer; o++)
        {
            for (var p = 0; p < parts.Length; p++)
            {
                var block = shapes[p][axis] * inner;
                elements.AddRange(parts[p].Skip(o * block).Take(block));
            }
        }
        u.Define(Slots.Outputs[0], [.. elements]);
        return true;
    }

    private ArgumentException Mismatch(Frame frame, int a)
    {
        return new ArgumentException($"concatenate along axis {axis}: {DescribeInputs(frame)} differ on axis {a}.");
    }

    private void CopyRow(Array source, Array destination)
    {
        var (to, from) = (loop.Offsets[0], loop.Offsets[1]);
        var (toStride, fromStride) = (loop.InnerStrides[0], loop.InnerStrides[1]);
        if (toStride == 1 && fromStride == 1)
        {
            Array.Copy(source, from, destination, to, loop.InnerLength);
            return;
        }
        for (var j = 0; j < loop.InnerLength; j++, to += toStride, from += fromStride)
            Array.Copy(source, from, destination, to, 1);
    }
}
