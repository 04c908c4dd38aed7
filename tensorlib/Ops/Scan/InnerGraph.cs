namespace Theon.Ops;

/// <summary>
/// The step of a <see cref="Scan"/>: placeholder inputs and the outputs computed from them, a graph of its own
/// (no free variables: shared variables and outer values it reads are inputs too). Compares by identity, so two
/// scans merge only when they run the same step.
/// </summary>
public sealed class InnerGraph(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs)
{
    public IReadOnlyList<Variable> Inputs { get; } = inputs;

    public IReadOnlyList<Variable> Outputs { get; } = outputs;
}

/// <summary>How <see cref="ScanLoop"/> runs one step: the results may live in buffers the next step reuses, so the
/// loop copies them out first.</summary>
internal interface IScanStep
{
    void Run(NDArray[] innerInputs, NDArray[] results, CancellationToken cancellation);
}

/// <summary>
/// The reference step: every node of the inner graph, unoptimized, by its <see cref="Op.Perform"/>, in topological
/// order (so both branches of an <see cref="IfElse"/> are computed).
/// </summary>
internal sealed class InterpretedStep(InnerGraph graph) : IScanStep
{
    private readonly List<Apply> nodes = GraphWalk.TopoSort(graph.Outputs);

    public void Run(NDArray[] innerInputs, NDArray[] results, CancellationToken cancellation)
    {
        var values = new Dictionary<Variable, NDArray>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < innerInputs.Length; i++) values[graph.Inputs[i]] = innerInputs[i];
        NDArray Value(Variable v) => values.TryGetValue(v, out var a) ? a : v is Constant c ? c.data
            : throw new InvalidOperationException($"the inner graph of scan reads {v}, which is not one of its inputs.");
        foreach (var node in nodes)
        {
            cancellation.ThrowIfCancellationRequested();
            var outputs = node.op.Perform(node, [.. node.inputs.Select(Value)]);
            for (var k = 0; k < outputs.Length; k++) values[node.outputs[k]] = outputs[k];
        }
        for (var o = 0; o < results.Length; o++) results[o] = Value(graph.Outputs[o]);
    }
}
