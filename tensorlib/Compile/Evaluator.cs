using Theon.Ops;

namespace Theon.Compile;

/// <summary>
/// The reference backend: runs each node's <see cref="Op.Perform"/> on demand, from the outputs back, so that
/// the branch an <see cref="IfElse"/> does not take is never computed. Variables are numbered into slots once,
/// at compile time.
/// </summary>
internal sealed class Evaluator : Executable
{
    private readonly Dictionary<Variable, int> slotOf = new(ReferenceEqualityComparer.Instance);
    private readonly List<Variable> variables = [];
    private readonly int[][] inputSlots;
    private readonly Apply[] nodes;
    private readonly int[] nodeOf;   // slot -> node index, -1 for graph inputs
    private readonly int[] outputSlots;
    private readonly int[] graphInputSlots;

    public Evaluator(IReadOnlyList<Variable> outputs)
    {
        Schedule = GraphWalk.TopoSort(outputs);
        nodes = [.. Schedule];
        foreach (var v in GraphWalk.Inputs(outputs)) Slot(v);
        foreach (var node in nodes)
        {
            foreach (var v in node.inputs) Slot(v);
            foreach (var v in node.outputs) Slot(v);
        }
        nodeOf = new int[variables.Count];
        Array.Fill(nodeOf, -1);
        for (var n = 0; n < nodes.Length; n++)
        {
            foreach (var v in nodes[n].outputs) nodeOf[slotOf[v]] = n;
        }
        inputSlots = [.. nodes.Select(node => node.inputs.Select(v => slotOf[v]).ToArray())];
        outputSlots = [.. outputs.Select(v => slotOf[v])];
        GraphInputs = [.. variables.Where(v => v.owner is null)];
        graphInputSlots = [.. GraphInputs.Select(v => slotOf[v])];
    }

    public override IReadOnlyList<Apply> Schedule { get; }

    public override IReadOnlyList<Variable> GraphInputs { get; }

    private int Slot(Variable v)
    {
        if (slotOf.TryGetValue(v, out var slot)) return slot;
        slotOf[v] = variables.Count;
        variables.Add(v);
        return variables.Count - 1;
    }

    public override void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation)
    {
        var values = new NDArray?[variables.Count];
        for (var i = 0; i < inputs.Length; i++) values[graphInputSlots[i]] = inputs[i];
        var pending = new Stack<int>();
        foreach (var target in outputSlots)
        {
            pending.Push(target);
            while (pending.Count > 0)
            {
                var slot = pending.Peek();
                if (values[slot] is not null)
                {
                    pending.Pop();
                    continue;
                }
                var n = nodeOf[slot];
                if (n < 0) throw new InvalidOperationException($"no value for the graph input {variables[slot]}.");
                if (NextMissing(n, values) is { } missing)
                {
                    pending.Push(missing);
                    continue;
                }
                cancellation.ThrowIfCancellationRequested();
                var node = nodes[n];
                var results = node.op is IfElse
                    ? [values[inputSlots[n][IfElse.Branch(values[inputSlots[n][0]]!)]]!]
                    : node.op.Perform(node, [.. inputSlots[n].Select(s => values[s]!)]);
                for (var i = 0; i < results.Length; i++) values[slotOf[node.outputs[i]]] = results[i];
                pending.Pop();
            }
        }
        for (var i = 0; i < outputSlots.Length; i++) outputs[i] = values[outputSlots[i]]!;
    }

    /// <summary>The first input of node <paramref name="n"/> still to compute; for an ifelse, the condition, then the branch it picks.</summary>
    private int? NextMissing(int n, NDArray?[] values)
    {
        var slots = inputSlots[n];
        if (nodes[n].op is IfElse)
        {
            if (values[slots[0]] is not { } condition) return slots[0];
            var branch = slots[IfElse.Branch(condition)];
            return values[branch] is null ? branch : null;
        }
        foreach (var s in slots)
        {
            if (values[s] is null) return s;
        }
        return null;
    }
}
