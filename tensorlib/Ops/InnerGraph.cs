namespace Theon.Ops;

/// <summary>
/// A graph held inside an op (Theano's inner graph of scan or OpFromGraph): placeholder inputs and the outputs
/// computed from them. Compares by identity, so two ops that hold one merge only when they hold the same graph.
/// <see cref="Run"/> interprets it node by node with each op's <see cref="Op.Perform"/>: the graph layer cannot call
/// the compiler above it (a backend compiles the graph itself, as the CPU backend's scan kernel does).
/// </summary>
public sealed class InnerGraph(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs)
{
    private List<Apply>? nodes;

    public IReadOnlyList<Variable> Inputs { get; } = inputs;

    public IReadOnlyList<Variable> Outputs { get; } = outputs;

    /// <summary>The free variables of <paramref name="outputs"/>: its inputs that are neither constants nor shared.</summary>
    public static Variable[] FreeVariables(IEnumerable<Variable> outputs) =>
        [.. GraphWalk.Inputs(outputs).Where(v => v is not (Constant or SharedVariable))];

    /// <summary>
    /// The outputs from the inputs' <paramref name="values"/>, every node by its <see cref="Op.Perform"/> in
    /// topological order (both branches of an <see cref="IfElse"/> too); shared variables read their current value.
    /// </summary>
    public NDArray[] Run(IReadOnlyList<NDArray> values, CancellationToken cancellation = default)
    {
        var known = new Dictionary<Variable, NDArray>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Inputs.Count; i++) known[Inputs[i]] = values[i];
        NDArray Value(Variable v) => known.TryGetValue(v, out var a) ? a : v switch
        {
            Constant c => c.data,
            SharedVariable s => s.get_value(borrow: true),
            _ => throw new InvalidOperationException($"the inner graph reads {v}, which is not one of its inputs."),
        };
        foreach (var node in nodes ??= GraphWalk.TopoSort(Outputs))
        {
            cancellation.ThrowIfCancellationRequested();
            var results = node.op.Perform(node, [.. node.inputs.Select(Value)]);
            for (var k = 0; k < results.Length; k++) known[node.outputs[k]] = results[k];
        }
        return [.. Outputs.Select(Value)];
    }

    /// <summary>Symbolic expressions over the inner inputs rewritten over <paramref name="actual"/> ones.</summary>
    public Variable[] Substitute(IReadOnlyList<Variable> expressions, IReadOnlyList<Variable> actual)
    {
        var map = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Inputs.Count; i++) map[Inputs[i]] = actual[i];
        return GraphWalk.Replace(expressions, map);
    }
}

/// <summary>
/// An op whose node runs an <see cref="InnerGraph"/> (scan's step, the Jacobian's row): what a drawing of the node
/// shows inside it. Its outputs are the node's outputs, in order.
/// </summary>
public interface IInnerGraphOp
{
    InnerGraph Inner { get; }

    /// <summary>The node input that inner input <paramref name="innerInput"/> reads; null for one the op makes itself
    /// (the Jacobian's row index).</summary>
    int? OuterInputOf(int innerInput);
}
