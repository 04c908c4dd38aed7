using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <see cref="MakeVector"/> of int64 scalars (a shape built by <c>flatten</c> or <c>reshape</c>) into the planned
/// output, so that a steady call makes no new array.
/// </summary>
internal sealed class MakeVectorKernel(NodeSlots slots) : NodeKernel(slots)
{
    private readonly int[] shape = [slots.Inputs.Length];

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var output = (long[])frame.Output(Slots.Outputs[0], shape).Buffer;
        for (var i = 0; i < Slots.Inputs.Length; i++)
        {
            var a = frame.Input(Slots.Inputs[i]);
            output[i] = a.Buffer is long[] v ? v[a.Offset] : a.GetItem<long>();
        }
    }

    public static NodeKernel? Create(NodeSlots s) =>
        s.Node.outputs[0].type.dtype == DType.Int64 && s.Node.inputs.All(v => v.type.dtype == DType.Int64)
            ? new MakeVectorKernel(s)
            : null;
}
