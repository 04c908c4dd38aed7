namespace Theon.Backends.Cpu;

/// <summary>The slots one node reads and writes in the executable's value table.</summary>
internal sealed record NodeSlots(Apply Node, int[] Inputs, int[] Outputs);

/// <summary>The values of one run: graph inputs, then every node's outputs as they are computed.</summary>
internal sealed class Frame(int slots)
{
    private readonly SlotBuffer?[] buffers = new SlotBuffer?[slots];

    public NDArray?[] Values { get; } = new NDArray?[slots];

    public NDArray Input(int slot) => Values[slot] ?? throw new InvalidOperationException(
        $"slot {slot} has no value yet.");

    /// <summary>The planned buffer of <paramref name="slot"/> at <paramref name="shape"/>, now the slot's
    /// value.</summary>
    public NDArray Output(int slot, ReadOnlySpan<int> shape) =>
        Values[slot] = (buffers[slot] ?? throw new InvalidOperationException(
            $"slot {slot} has no planned buffer.")).Get(shape);

    public void Set(int slot, NDArray value) => Values[slot] = value;

    public void Plan(int slot, SlotBuffer buffer) => buffers[slot] = buffer;
}

/// <summary>How the CPU backend runs one node.</summary>
internal abstract class NodeKernel(NodeSlots slots)
{
    protected NodeSlots Slots { get; } = slots;

    /// <summary>
    /// True when every output is written into its planned buffer (<see cref="Frame.Output"/>), so the memory plan
    /// owns it; otherwise outputs are made by the kernel and may be views of its inputs.
    /// </summary>
    public virtual bool WritesPlannedOutputs => false;

    /// <summary>An input whose buffer output 0 may take when that input dies here (elementwise, same shape); -1 for
    /// none.</summary>
    public virtual IEnumerable<int> InPlaceCandidates => [];

    public abstract void Run(Frame frame);

    /// <summary>
    /// Describes the node to an <see cref="Unrolled.Unroller"/>: its outputs' elements in terms of its inputs', for the
    /// shapes of the run just made. False where the kernel has no unrolled form.
    /// </summary>
    public virtual bool Unroll(Unrolled.Unroller u) => false;

    /// <summary>The inputs as error messages name them: <c>x of shape (3,) and y of shape (4,)</c>.</summary>
    protected string DescribeInputs(Frame frame) => string.Join(" and ", Slots.Inputs.Select((s, i) =>
        $"{Ops.InputNames.Describe(Slots.Node.inputs[i])} of shape {NDArray.ShapeString(frame.Input(s).shape)}"));

    /// <summary>The output shape of an elementwise node by <see cref="Ops.BroadcastRule"/>, from the frame's
    /// arrays.</summary>
    protected void BroadcastShape(Frame frame, Span<int> shape) =>
        Ops.BroadcastRule.OutputShape(Slots.Node, new FrameShapes(frame, Slots.Inputs), shape);

    private readonly struct FrameShapes(Frame frame, int[] inputs) : Ops.BroadcastRule.IShapes
    {
        public int Length(int input, int axis) => frame.Input(inputs[input]).Dims[axis];
    }
}

/// <summary>
/// A kernel whose generated loops read every element of their inputs and can check chosen inputs for NaN on the way,
/// so that <c>function</c> need not read a large argument twice.
/// </summary>
internal interface INaNCheckingKernel
{
    void CheckNaN(int input);

    /// <summary>After a run: a checked input held a NaN, or the loops did not read every element of it.</summary>
    bool MayHaveSeenNaN { get; }
}

/// <summary>Any op: its reference <see cref="Op.Perform"/>, with fresh outputs each call.</summary>
internal sealed class PerformKernel(NodeSlots slots) : NodeKernel(slots)
{
    public override void Run(Frame frame)
    {
        var inputs = new NDArray[Slots.Inputs.Length];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = frame.Input(Slots.Inputs[i]);
        var outputs = Slots.Node.op.Perform(Slots.Node, inputs);
        for (var i = 0; i < outputs.Length; i++) frame.Set(Slots.Outputs[i], outputs[i]);
    }
}

/// <summary>
/// Ops whose outputs are views of input 0 or depend only on its shape (dimshuffle, subtensor, shape, reshape):
/// computed by <see cref="Op.Perform"/> and kept while input 0 is the same array object and the small integer
/// inputs (indices) hold the same values, so a steady-state call makes no new view objects.
/// </summary>
internal sealed class ViewKernel(NodeSlots slots, bool dependsOnShapeOnly) : NodeKernel(slots)
{
    // Short integer vectors count as indices too: the shape a reshape reads (flatten's MakeVector).
    private const int MaxCachedVector = 8;
    private long[] indexValues = [];
    private NDArray? source;
    private NDArray[]? cached;

    public override void Run(Frame frame)
    {
        var x = frame.Input(Slots.Inputs[0]);
        if (cached is not null && ReferenceEquals(x, source) && SameIndices(frame))
        {
            for (var i = 0; i < cached.Length; i++) frame.Set(Slots.Outputs[i], cached[i]);
            return;
        }
        Compute(frame, x);
    }

    // Apart from Run so that the lambda's closure is only allocated on a cache miss.
    private void Compute(Frame frame, NDArray x)
    {
        var inputs = new NDArray[Slots.Inputs.Length];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = frame.Input(Slots.Inputs[i]);
        var outputs = Slots.Node.op.Perform(Slots.Node, inputs);
        for (var i = 0; i < outputs.Length; i++) frame.Set(Slots.Outputs[i], outputs[i]);
        var cacheable = CanCacheIndices(inputs) && outputs.All(o => dependsOnShapeOnly || ReferenceEquals(o.Buffer,
            x.Buffer));
        (source, cached) = cacheable ? (x, outputs) : (null, null);
        if (!cacheable) return;
        indexValues = [.. inputs.Skip(1).SelectMany(a => Enumerable.Range(0, a.size).Select(k => IndexValue(a, k)))];
    }

    /// <summary>
    /// A shape is static; a view takes its input's elements by buffer position, a reshape that had to copy in C
    /// order. The integer inputs (indices) must be static.
    /// </summary>
    public override bool Unroll(Unrolled.Unroller u)
    {
        if (dependsOnShapeOnly) return Slots.Outputs.All(u.DefineStatic);
        if (!Slots.Inputs.Skip(1).All(u.IsStatic) || u.Elements(Slots.Inputs[0]) is not { } source) return false;
        var x = u.Recorded(Slots.Inputs[0]);
        var elementAt = new Dictionary<int, int>();
        var positions = Unrolled.Unroller.Positions(x);
        for (var i = 0; i < positions.Length; i++) elementAt.TryAdd(positions[i], i);
        foreach (var slot in Slots.Outputs)
        {
            var view = u.Recorded(slot);
            if (!ReferenceEquals(view.Buffer, x.Buffer))
            {
                if (Slots.Node.op is not Ops.Reshape || view.size != x.size) return false;
                u.Define(slot, source);
                continue;
            }
            var elements = new System.Linq.Expressions.Expression[view.size];
            var viewPositions = Unrolled.Unroller.Positions(view);
            for (var i = 0; i < elements.Length; i++)
            {
                if (!elementAt.TryGetValue(viewPositions[i], out var k)) return false;
                elements[i] = source[k];
            }
            u.Define(slot, elements);
        }
        return true;
    }

    private static bool CanCacheIndices(NDArray[] inputs) =>
        inputs.Skip(1).All(a => (a.ndim == 0 || a.ndim == 1 && a.size <= MaxCachedVector) &&
            a.Buffer is long[] or int[] or short[] or sbyte[] or byte[]);

    private bool SameIndices(Frame frame)
    {
        var at = 0;
        for (var i = 1; i < Slots.Inputs.Length; i++)
        {
            var a = frame.Input(Slots.Inputs[i]);
            if (a.ndim > 1 || at + a.size > indexValues.Length) return false;
            for (var k = 0; k < a.size; k++)
            {
                if (IndexValue(a, k) != indexValues[at++]) return false;
            }
        }
        return at == indexValues.Length;
    }

    private static long IndexValue(NDArray a, int k) => IndexAt(a, a.Offset + (a.ndim == 0 ? 0 : k * a.Strides[0]));

    private static long IndexAt(NDArray a, int at) => a.Buffer switch
    {
        long[] v => v[at],
        int[] v => v[at],
        short[] v => v[at],
        sbyte[] v => v[at],
        byte[] v => v[at],
        _ => throw new InvalidOperationException($"expected an integer index, got dtype {a.dtype}."),
    };
}
