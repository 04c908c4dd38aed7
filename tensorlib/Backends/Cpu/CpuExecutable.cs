using Theon.Backends.Cpu.Unrolled;
using Theon.Compile;

namespace Theon.Backends.Cpu;

/// <summary>
/// The CPU backend's executable: the nodes in a fixed order, each with its kernel, over one table of values that
/// lives as long as the function, with intermediate buffers from the static <see cref="MemoryPlan"/>. A small graph
/// called twice in a row with the same input shapes is also compiled into an <see cref="UnrolledProgram"/> for those
/// shapes, which then runs instead of the kernels while the shapes hold.
/// </summary>
internal sealed class CpuExecutable : Executable
{
    private readonly Frame frame;
    private readonly NodeKernel[] kernels;
    private readonly NodeSlots[] nodeSlots;
    private readonly List<INaNCheckingKernel> nanCheckers = [];
    private readonly int[] graphInputSlots;
    private readonly int[] resultSlots;
    // Unrolled code costs about as much per scalar operation as a kernel's dispatch costs per 64 (measured on graphs
    // of 4 nodes over vectors of 4 to 1024 elements: unrolled 4x faster at 4 elements a node, even at 64, 1.8x
    // slower at 256, where the straight-line code outgrows the instruction cache), so a graph is unrolled only while
    // it needs fewer operations than that many per node.
    private const int OperationsPerNode = 64;
    private readonly HashSet<int> nanCheckedInputSlots = [];
    private int[][]? lastShapes;   // of the graph inputs in the last run of the kernels
    private bool unrollingFailed;
    private bool lastRunUnrolled, unrolledSawNaN;

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

    /// <summary>The kernels of the nodes whose op is a <typeparamref name="TOp"/>, in execution order.</summary>
    internal IEnumerable<NodeKernel> KernelsOf<TOp>() where TOp : Op =>
        kernels.Where((_, n) => nodeSlots[n].Node.op is TOp);

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
                nanCheckedInputSlots.Add(graphInputSlots[graphInput]);
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
            if (lastRunUnrolled) return unrolledSawNaN;
            foreach (var checker in nanCheckers)
            {
                if (checker.MayHaveSeenNaN) return true;
            }
            return false;
        }
    }

    /// <summary>The program that runs instead of the kernels for the shapes it was built for, if any.</summary>
    public UnrolledProgram? Unrolled { get; private set; }

    /// <summary>False keeps this function on its kernels (tests of the kernels themselves).</summary>
    public bool MayUnroll { get; set; } = true;

    public override void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        if (Unrolled is { } program && program.Accepts(inputs))
        {
            unrolledSawNaN = program.Run(inputs);
            lastRunUnrolled = true;
            program.Results.CopyTo(outputs, 0);
            return;
        }
        lastRunUnrolled = false;
        for (var i = 0; i < inputs.Length; i++) frame.Set(graphInputSlots[i], inputs[i]);
        var builder = ShouldUnroll(inputs)
            ? new UnrolledProgram.Builder(frame, GraphInputs, graphInputSlots, nanCheckedInputSlots,
                Math.Min(Theon.T.config.unroll_limit, OperationsPerNode * kernels.Length))
            : null;
        for (var n = 0; n < kernels.Length; n++)
        {
            cancellation.ThrowIfCancellationRequested();
            kernels[n].Run(frame);
            builder?.Add(nodeSlots[n], kernels[n]);
        }
        for (var i = 0; i < resultSlots.Length; i++) outputs[i] = frame.Values[resultSlots[i]]!;
        if (builder?.Finish(resultSlots) is { } built) Unrolled = built;
        else if (builder is not null) unrollingFailed = true;
    }

    /// <summary>
    /// Unroll when the kernels run for the second time in a row with the same input shapes, the program there is (if
    /// any) was built for other shapes (not merely refused a strided input), and no earlier attempt found a node
    /// without an unrolled form or too many operations.
    /// </summary>
    private bool ShouldUnroll(NDArray[] inputs)
    {
        if (unrollingFailed || !MayUnroll || Theon.T.config.unroll_limit == 0) return false;
        if (lastShapes is null || !SameShapes(inputs, lastShapes))
        {
            lastShapes = [.. inputs.Select(x => x.shape)];
            return false;
        }
        return Unrolled is null || !Unrolled.BuiltFor(inputs);
    }

    private static bool SameShapes(NDArray[] arrays, int[][] shapes)
    {
        for (var i = 0; i < arrays.Length; i++)
        {
            if (!arrays[i].Dims.AsSpan().SequenceEqual(shapes[i])) return false;
        }
        return true;
    }
}
