namespace Theon.Ops;

/// <summary>
/// A graph held inside an op (Theano's inner graph of scan or OpFromGraph), run node by node with each op's
/// <see cref="Op.Perform"/>: the graph layer cannot call the compiler above it.
/// </summary>
internal sealed class InnerGraph
{
    private readonly Variable[] inputs;
    private readonly Variable[] outputs;
    private readonly List<Apply> nodes;

    public InnerGraph(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs)
    {
        (this.inputs, this.outputs) = ([.. inputs], [.. outputs]);
        nodes = GraphWalk.TopoSort(outputs);
    }

    public IReadOnlyList<Variable> Inputs => inputs;

    /// <summary>
    /// The free variables of <paramref name="outputs"/>: its inputs that are not constants. Shared variables are
    /// among them, so that the node holding the graph depends on them (and is never folded into a constant).
    /// </summary>
    public static Variable[] FreeVariables(IEnumerable<Variable> outputs) =>
        [.. GraphWalk.Inputs(outputs).Where(v => v is not Constant)];

    public NDArray[] Run(IReadOnlyList<NDArray> values)
    {
        var known = new Dictionary<Variable, NDArray>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inputs.Length; i++) known[inputs[i]] = values[i];
        NDArray ValueOf(Variable v) => v is Constant c ? c.data : known[v];
        foreach (var node in nodes)
        {
            var results = node.op.Perform(node, [.. node.inputs.Select(ValueOf)]);
            for (var k = 0; k < results.Length; k++) known[node.outputs[k]] = results[k];
        }
        return [.. outputs.Select(ValueOf)];
    }

    /// <summary>Symbolic expressions over the inner inputs rewritten over the node's inputs.</summary>
    public Variable[] Substitute(IReadOnlyList<Variable> expressions, IReadOnlyList<Variable> actual)
    {
        var map = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inputs.Length; i++) map[inputs[i]] = actual[i];
        return GraphWalk.Replace(expressions, map);
    }
}
