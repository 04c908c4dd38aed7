using Theon.Ops;

namespace Theon.Compile;

/// <summary>
/// Elementwise fusion (the "fuse" phase), the one fused representation every backend reads: a chain of elementwise
/// ops of one loop dtype becomes one <see cref="Composite"/>, and a sum or product of such a loop that nothing else
/// reads becomes one <see cref="FusedReduce"/>. A producer joins its consumer's loop when the consumer is its only
/// client, it is not a function output and it has the consumer's broadcast pattern (so nothing is computed twice);
/// size-1 constants become literals in the loop body (a single op with a constant input becomes a Composite for that
/// reason). Which scalar ops and dtypes a loop may hold is the backend's: the rows of its scalar code table.
/// </summary>
public sealed class FusionPhase(Func<ScalarOp, DType, bool> hasLoopCode)
{
    public const string RewriteName = "elemwise_fusion";
    public const string ReduceRewriteName = "reduce_fusion";

    /// <summary>The phase as the optimizer runs it, after the backend's other phases.</summary>
    public Phase Phase => new GlobalPhase("fuse", Run);

    public Variable[] Run(Variable[] outputs, List<string> applied)
    {
        var order = GraphWalk.TopoSort(outputs);
        var clients = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            foreach (var v in node.inputs) clients[v] = clients.GetValueOrDefault(v) + 1;
        }
        var isOutput = new HashSet<Variable>(outputs, ReferenceEqualityComparer.Instance);
        var fusable = order.Where(IsFusable).ToHashSet();
        bool Inlined(Variable v, Apply consumer) =>
            v.owner is { } producer && fusable.Contains(producer) && fusable.Contains(consumer) && clients[v] == 1 &&
            !isOutput.Contains(v) && v.type == consumer.outputs[0].type;

        var memo = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        Variable Map(Variable v) => memo.GetValueOrDefault(v, v);
        var consumers = new Dictionary<Variable, Apply>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            foreach (var v in node.inputs) consumers[v] = node;
        }
        foreach (var node in order)
        {
            if (fusable.Contains(node))
            {
                var output = node.outputs[0];
                if (consumers.TryGetValue(output, out var consumer) && Inlined(output, consumer)) continue;
                var leaves = new List<Variable>();
                var body = Build(node, leaves, Inlined);
                if (body.Count > 1 || leaves.Count < node.inputs.Count)
                {
                    memo[output] = new Composite(body, output.type.dtype).MakeNode([.. leaves.Select(Map)]).outputs[0];
                    applied.Add(RewriteName);
                    continue;
                }
            }
            if (FuseReduction(node, memo, clients, isOutput) is { } reduction)
            {
                memo[node.outputs[0]] = reduction;
                applied.Add(ReduceRewriteName);
                continue;
            }
            var inputs = node.inputs.Select(Map).ToArray();
            if (inputs.SequenceEqual(node.inputs, ReferenceEqualityComparer.Instance)) continue;
            var rebuilt = node.WithInputs(inputs);
            for (var i = 0; i < node.outputs.Count; i++) memo[node.outputs[i]] = rebuilt.outputs[i];
        }
        return [.. outputs.Select(Map)];
    }

    /// <summary>
    /// A sum or product of a fused loop (or of one elementwise op) of a float dtype that only the reduction reads:
    /// one <see cref="FusedReduce"/> node.
    /// </summary>
    private Variable? FuseReduction(Apply node, Dictionary<Variable, Variable> memo,
        Dictionary<Variable, int> clients, HashSet<Variable> isOutput)
    {
        if (node.op is not Reduce { Kind: "sum" or "prod" } reduce) return null;
        var input = node.inputs[0];
        if (clients[input] != 1 || isOutput.Contains(input) || !input.type.dtype.IsFloat
            || node.outputs[0].type.dtype != input.type.dtype)
            return null;
        var producer = memo.GetValueOrDefault(input, input).owner;
        var (body, leaves) = producer switch
        {
            { op: Composite c } => (c.Body, producer.inputs),
            { op: Elemwise { Scalar: var op } } when IsFusable(producer)
                && producer.inputs.All(v => v.type.dtype == input.type.dtype)
                => (ScalarExpr.Of(op, producer.inputs.Count),
                    [.. producer.inputs.Select(v => memo.GetValueOrDefault(v, v))]),
            _ => ((ScalarExpr?)null, (IReadOnlyList<Variable>)[]),
        };
        return body is null ? null : new FusedReduce(reduce, body, input.type.dtype).MakeNode([.. leaves]).outputs[0];
    }

    /// <summary>
    /// An elementwise node whose op has loop code for its output dtype and whose inputs fit the loop.
    /// </summary>
    public bool IsFusable(Apply node) =>
        node.op is Elemwise { Scalar: var op } && node.outputs[0].type.dtype is var dtype
        && hasLoopCode(op, dtype) &&
        node.inputs.All(v => v.type.dtype == dtype || Literal(v, dtype) is not null);

    private static ScalarExpr Build(Apply node, List<Variable> leaves, Func<Variable, Apply, bool> inlined)
    {
        var dtype = node.outputs[0].type.dtype;
        var args = node.inputs.Select(v =>
            v.type.dtype != dtype || (v is Constant && Literal(v, dtype) is not null) ? Literal(v, dtype)!
            : inlined(v, node) ? Build(v.owner!, leaves, inlined)
            : Leaf(v, leaves));
        return new ScalarExpr.Call(((Elemwise)node.op).Scalar, new Seq<ScalarExpr>(args));
    }

    private static ScalarExpr Leaf(Variable v, List<Variable> leaves)
    {
        var index = leaves.FindIndex(l => ReferenceEquals(l, v));
        if (index < 0)
        {
            index = leaves.Count;
            leaves.Add(v);
        }
        return new ScalarExpr.Input(index);
    }

    /// <summary>A constant of one element, all axes broadcastable, exactly representable in the loop dtype.</summary>
    private static ScalarExpr? Literal(Variable v, DType dtype)
    {
        if (v is not Constant { ScalarValue: { } value } c || c.type.broadcastable.Any(b => !b)) return null;
        var exact = dtype == DType.Float32 ? (double)(float)value == value || double.IsNaN(value)
            : dtype == DType.Int64 ? Math.Floor(value) == value && Math.Abs(value) < 1e15
            : true;
        return exact && !c.type.dtype.IsBool ? new ScalarExpr.Literal(value, c.type.dtype) : null;
    }
}
