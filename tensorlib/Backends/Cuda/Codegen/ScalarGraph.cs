using Theon.Ops;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// One scalar op in a fused graph, or a literal when <see cref="Literal"/> is set (then Op is null and Args empty).
/// An argument below the graph's input count names an input, above it a node.
/// </summary>
public sealed record ScalarNode(ScalarOp? Op, IReadOnlyList<int> Args, NDArray? Literal = null)
{
    public ScalarNode(ScalarOp op, IReadOnlyList<int> args) : this(op, args, null)
    {
    }

    public static ScalarNode Constant(double value, DType dtype) => new(null, [], NDArray.Scalar(value, dtype));

    public string Describe() => Op?.Name ?? $"literal {Literal}:{Literal!.DType}";
}

/// <summary>
/// Theano's Composite: a small graph of scalar ops over the inputs of a fused elementwise kernel, with one or more
/// outputs. Value numbering: inputs are 0..Inputs.Count-1, node k is Inputs.Count + k.
/// </summary>
public sealed class ScalarGraph
{
    public ScalarGraph(IReadOnlyList<DType> inputs, IReadOnlyList<ScalarNode> nodes, IReadOnlyList<int> outputs)
    {
        Inputs = inputs;
        Nodes = nodes;
        Outputs = outputs;
        var types = new List<DType>(inputs);
        foreach (var (node, k) in nodes.Select((n, k) => (n, k)))
        {
            var limit = inputs.Count + k;
            if (node.Literal is { } literal)
            {
                types.Add(literal.DType);
                continue;
            }
            var op = node.Op ?? throw new ArgumentException($"scalar node {k} has neither an op nor a literal.");
            if (node.Args.Any(a => a < 0 || a >= limit))
                throw new ArgumentException($"scalar node {k} ({op.Name}) uses a value that is not computed before " +
                    $"it.");
            if (op.Arity >= 0 ? node.Args.Count != op.Arity : node.Args.Count < 2)
                throw new ArgumentException($"scalar node {k} ({op.Name}) has {node.Args.Count} argument(s).");
            types.Add(op.OutputDType([.. node.Args.Select(a => types[a])]));
        }
        if (outputs.Count == 0 || outputs.Any(o => o < 0 || o >= types.Count))
            throw new ArgumentException("a scalar graph needs outputs among its values.");
        ValueTypes = types;
    }

    public IReadOnlyList<DType> Inputs { get; }
    public IReadOnlyList<ScalarNode> Nodes { get; }
    public IReadOnlyList<int> Outputs { get; }

    /// <summary>The dtype of every value: the inputs, then each node's output.</summary>
    public IReadOnlyList<DType> ValueTypes { get; }

    public IEnumerable<DType> OutputTypes => Outputs.Select(o => ValueTypes[o]);

    /// <summary>A text that is equal for equal graphs: the cache key of the kernels made from it.</summary>
    public string Signature =>
        $"in({string.Join(",", Inputs)}) " +
        string.Join(" ", Nodes.Select((n, k) =>
            $"v{Inputs.Count + k}={n.Describe()}({string.Join(",", n.Args.Select(a => $"v{a}"))})")) +
        $" out({string.Join(",", Outputs.Select(o => $"v{o}"))})";

    /// <summary>
    /// The fused graph of connected Elemwise nodes (in dependency order). Its inputs are the variables the nodes use
    /// but do not compute, in order of first use; <paramref name="outputs"/> must be outputs of the nodes.
    /// </summary>
    public static (ScalarGraph Graph, IReadOnlyList<Variable> Inputs) FromElemwise(IReadOnlyList<Apply> nodes,
        IReadOnlyList<Variable> outputs)
    {
        var produced = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);
        var external = new List<Variable>();
        foreach (var node in nodes)
        {
            if (node.op is not Elemwise)
                throw new ArgumentException($"only Elemwise nodes fuse into a scalar graph, got {node.op}.");
            foreach (var v in node.inputs.Where(v => !produced.ContainsKey(v) && !external.Contains(v,
                ReferenceEqualityComparer.Instance)))
                external.Add(v);
            produced[node.outputs[0]] = -1;
        }
        var index = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);
        foreach (var (v, i) in external.Select((v, i) => (v, i))) index[v] = i;
        var scalarNodes = new List<ScalarNode>();
        foreach (var node in nodes)
        {
            scalarNodes.Add(new ScalarNode(((Elemwise)node.op).Scalar, [.. node.inputs.Select(v => index[v])]));
            index[node.outputs[0]] = external.Count + scalarNodes.Count - 1;
        }
        var outputIndices = outputs.Select(o => index.TryGetValue(o, out var i) && i >= external.Count
            ? i
            : throw new ArgumentException($"{o} is not computed by the fused nodes.")).ToArray();
        return (new ScalarGraph([.. external.Select(v => v.type.dtype)], scalarNodes, outputIndices), external);
    }
}

/// <summary>The one-node graphs the runtime itself needs (copies and conversions), made once per dtype.</summary>
public static class ScalarGraphs
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(DType, DType), ScalarGraph> Made =
        new();

    /// <summary>A copy: the input is the output.</summary>
    public static ScalarGraph Identity(DType dtype) => Made.GetOrAdd((dtype, dtype), _ => new([dtype], [], [0]));

    public static ScalarGraph Cast(DType from, DType to) => from == to ? Identity(from) : Made.GetOrAdd((from, to),
        _ => new ScalarGraph([from], [new ScalarNode(new Ops.Cast(to), [0])], [1]));
}
