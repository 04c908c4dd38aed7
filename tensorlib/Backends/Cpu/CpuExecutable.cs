using Theon.Compile;

namespace Theon.Backends.Cpu;

/// <summary>
/// The CPU backend's executable: the nodes in a fixed order, each with its kernel, over one table of values that
/// lives as long as the function, with intermediate buffers from the static <see cref="MemoryPlan"/>.
/// </summary>
internal sealed class CpuExecutable : Executable
{
    private readonly Frame frame;
    private readonly NodeKernel[] kernels;
    private readonly NodeSlots[] nodeSlots;
    private readonly List<INaNCheckingKernel> nanCheckers = [];
    private readonly int[] graphInputSlots;
    private readonly int[] resultSlots;

    public CpuExecutable(IReadOnlyList<Variable> outputs, Func<NodeSlots, NodeKernel> kernelFor)
    {
        var schedule = GraphWalk.TopoSort(outputs);
        Schedule = schedule;
        var slotOf = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);
        int Slot(Variable v) => slotOf.TryGetValue(v, out var s) ? s : slotOf[v] = slotOf.Count;
        GraphInputs = GraphWalk.Inputs(outputs);
        graphInputSlots = [.. GraphInputs.Select(Slot)];
        nodeSlots = schedule.Select(n => new NodeSlots(n, [.. n.inputs.Select(Slot)],
            [.. n.outputs.Select(Slot)])).ToArray();
        resultSlots = [.. outputs.Select(Slot)];
        kernels = [.. nodeSlots.Select(kernelFor)];
        frame = new Frame(slotOf.Count);
        var plan = new MemoryPlan(nodeSlots, kernels, resultSlots, slotOf.Count);
        foreach (var (slot, buffer) in plan.Buffers) frame.Plan(slot, buffer);
        StorageGroups = plan.GroupCount;
    }

    public override IReadOnlyList<Apply> Schedule { get; }

    public override IReadOnlyList<Variable> GraphInputs { get; }

    /// <summary>How many distinct buffers the memory plan uses for the planned intermediates.</summary>
    public int StorageGroups { get; }

    /// <summary>
    /// The first loop kernel that reads the input whole, directly or through dimshuffles (which keep every element),
    /// checks it.
    /// </summary>
    public override bool CheckNaNWhileRunning(int graphInput)
    {
        var whole = new HashSet<int> { graphInputSlots[graphInput] };
        for (var n = 0; n < nodeSlots.Length; n++)
        {
            var (slots, kernel) = (nodeSlots[n], kernels[n]);
            var input = Array.FindIndex(slots.Inputs, whole.Contains);
            if (input < 0) continue;
            if (kernel is INaNCheckingKernel checker)
            {
                checker.CheckNaN(input);
                if (!nanCheckers.Contains(checker)) nanCheckers.Add(checker);
                return true;
            }
            if (slots.Node.op is Ops.DimShuffle) whole.Add(slots.Outputs[0]);
        }
        return false;
    }

    public override bool MayHaveSeenNaN
    {
        get
        {
            foreach (var checker in nanCheckers)
            {
                if (checker.MayHaveSeenNaN) return true;
            }
            return false;
        }
    }

    public override void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation)
    {
        for (var i = 0; i < inputs.Length; i++) frame.Set(graphInputSlots[i], inputs[i]);
        foreach (var kernel in kernels)
        {
            cancellation.ThrowIfCancellationRequested();
            kernel.Run(frame);
        }
        for (var i = 0; i < resultSlots.Length; i++) outputs[i] = frame.Values[resultSlots[i]]!;
    }
}
