namespace Theon.Compile;

/// <summary>A named local rewrite: given a node, a replacement for its (single) output, or null to leave it.</summary>
public sealed record Rewrite(string Name, Func<Apply, Variable?> Apply);

/// <summary>One named step of the pipeline: rewrites the whole graph, recording the rewrites that fired.</summary>
public abstract record Phase(string Name)
{
    internal abstract Variable[] Run(Variable[] outputs, List<string> applied);
}

/// <summary>Local rules applied bottom-up with merging, until none fires (Theano's in-to-out walker).</summary>
public sealed record LocalPhase(string Name, IReadOnlyList<Rewrite> Rules) : Phase(Name)
{
    internal override Variable[] Run(Variable[] outputs, List<string> applied) =>
        new GraphRewriter(Rules, applied).Run(outputs);
}

/// <summary>A pass that needs the whole graph (who uses what), such as elementwise fusion.</summary>
public sealed record GlobalPhase(string Name, Func<Variable[], List<string>, Variable[]> Pass) : Phase(Name)
{
    internal override Variable[] Run(Variable[] outputs, List<string> applied) => Pass(outputs, applied);
}

/// <summary>
/// The rewrite pipeline, Theano's phases in order: canonicalize (merge, constant folding, algebraic cleanup),
/// stabilize (numerically safer forms), specialize (cheaper forms), shape (shapes from the ops' InferShape, not from
/// the values), then canonicalize again to clean up.
/// A backend appends its own phases (the CPU backend's "fuse").
/// </summary>
public static class Optimizer
{
    public static readonly IReadOnlyList<Phase> Phases =
    [
        new GlobalPhase("scan_pushout", Ops.ScanRewrites.PushOutInvariants),
        new LocalPhase("canonicalize", Rewrites.Canonicalize),
        new LocalPhase("stabilize", Rewrites.Stabilize),
        new LocalPhase("specialize", Rewrites.Specialize),
        new LocalPhase("shape", ShapeRewrites.Rules),
        new LocalPhase("canonicalize", Rewrites.Canonicalize),
    ];

    /// <summary>
    /// Runs the optimizer's phases, then the backend's: <c>Optimized</c> is the backend-independent graph (what pp and
    /// debugprint of a function show), <c>Lowered</c> the graph the backend runs.
    /// </summary>
    public static (Variable[] Optimized, Variable[] Lowered, List<string> Applied) Optimize(
        IReadOnlyList<Variable> outputs, IEnumerable<Phase>? backendPhases = null)
    {
        var applied = new List<string>();
        var optimized = outputs.ToArray();
        foreach (var phase in Phases) optimized = phase.Run(optimized, applied);
        var lowered = optimized;
        foreach (var phase in backendPhases ?? []) lowered = phase.Run(lowered, applied);
        return (optimized, lowered, applied);
    }
}

/// <summary>
/// One bottom-up pass: rebuilds the graph from its inputs, merging equal constants and equal nodes (same op,
/// same inputs) and applying the rules to every node until none fires. The original graph is left untouched.
/// </summary>
internal sealed class GraphRewriter(IReadOnlyList<Rewrite> rules, List<string> applied)
{
    private const int MaxRewritesPerNode = 100;
    private readonly Dictionary<Variable, Variable> memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Constant> constants = [];
    private readonly Dictionary<NodeKey, Apply> nodes = [];

    public Variable[] Run(IReadOnlyList<Variable> outputs)
    {
        return [.. outputs.Select(Leaf)];
    }

    private Variable Visit(Variable root)
    {
        if (memo.TryGetValue(root, out var done)) return done;
        foreach (var node in GraphWalk.TopoSort([root]))
        {
            if (node.outputs.All(memo.ContainsKey)) continue;
            var inputs = node.inputs.Select(Leaf).ToArray();
            var rebuilt = Merge(node, inputs);
            for (var i = 0; i < node.outputs.Count; i++) memo[node.outputs[i]] = rebuilt.outputs[i];
            if (rebuilt.outputs.Count == 1) memo[node.outputs[0]] = memo[rebuilt.outputs[0]] = Simplify(rebuilt.outputs[0]);
        }
        return Leaf(root);
    }

    private Variable Leaf(Variable v)
    {
        if (memo.TryGetValue(v, out var done)) return done;
        if (v is Constant c)
        {
            if (!constants.TryGetValue(c.Signature, out var existing)) constants[c.Signature] = existing = c;
            if (!ReferenceEquals(existing, c)) applied.Add("merge");
            return memo[v] = existing;
        }
        return v.owner is null ? v : Visit(v);
    }

    private Apply Merge(Apply node, Variable[] inputs)
    {
        var key = new NodeKey(node.op, inputs);
        if (nodes.TryGetValue(key, out var existing))
        {
            if (!ReferenceEquals(existing, node)) applied.Add("merge");
            return existing;
        }
        var rebuilt = inputs.SequenceEqual(node.inputs, ReferenceEqualityComparer.Instance) ? node : node.WithInputs(inputs);
        nodes[new NodeKey(rebuilt.op, [.. rebuilt.inputs])] = rebuilt;
        nodes[key] = rebuilt;
        return rebuilt;
    }

    /// <summary>Applies the rules to the node of <paramref name="v"/> until none fires; new subgraphs are visited too.</summary>
    private Variable Simplify(Variable v)
    {
        for (var round = 0; round < MaxRewritesPerNode && v.owner is { outputs.Count: 1 } node; round++)
        {
            var replaced = false;
            foreach (var rule in rules)
            {
                if (rule.Apply(node) is not { } replacement || ReferenceEquals(replacement, v)) continue;
                if (replacement.type.dtype != v.type.dtype || replacement.ndim != v.ndim)
                    throw new InvalidOperationException($"rewrite {rule.Name} replaced {v.type} by {replacement.type}.");
                applied.Add(rule.Name);
                v = Visit(replacement);
                replaced = true;
                break;
            }
            if (!replaced) break;
        }
        return v;
    }

    private sealed class NodeKey(Op op, Variable[] inputs) : IEquatable<NodeKey>
    {
        private readonly Op op = op;
        private readonly Variable[] inputs = inputs;

        public bool Equals(NodeKey? other) =>
            other is not null && op.Equals(other.op) && inputs.SequenceEqual(other.inputs, ReferenceEqualityComparer.Instance);

        public override bool Equals(object? obj) => Equals(obj as NodeKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(op);
            foreach (var input in inputs) hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(input));
            return hash.ToHashCode();
        }
    }
}
