namespace Theon.Ops;

/// <summary>
/// Theano's <c>PushOutNonSeqScan</c>: the part of a step that reads only non-sequences and constants is the same at
/// every step, so it is computed once, outside the loop, and the step reads its result as a new non-sequence.
/// Ops that must run every time (<see cref="Op.CanConstantFold"/> false: random draws, scans) stay inside.
/// </summary>
internal static class ScanRewrites
{
    public const string PushOutName = "scan_pushout_nonseqs";

    public const string PushOutDotName = "scan_pushout_seq_dot";

    public const string RemoveUnusedName = "scan_remove_unused_outputs";

    /// <summary>
    /// One pass over the outer graph: each scan loses the outputs nothing reads that are not fed back (Theano's
    /// <c>scan_merge_inouts</c> pruning; a gradient's scan computes every input's gradient, and <c>grad</c> may ask for
    /// few), then its loop-invariant part moves out.
    /// </summary>
    public static Variable[] PushOutInvariants(Variable[] outputs, List<string> applied)
    {
        var nodes = GraphWalk.TopoSort(outputs);
        var used = new HashSet<Variable>(outputs, ReferenceEqualityComparer.Instance);
        foreach (var n in nodes) used.UnionWith(n.inputs);
        var memo = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            var inputs = node.inputs.Select(v => memo.GetValueOrDefault(v, v)).ToArray();
            var current = inputs.SequenceEqual(node.inputs, ReferenceEqualityComparer.Instance) ? node : node.op.MakeNode(inputs);
            Variable?[] mapped = [.. current.outputs];   // output i of the original node -> its value now
            void Through(Apply before, Func<int, Variable?> outputOf)
            {
                for (var i = 0; i < mapped.Length; i++)
                {
                    if (mapped[i] is { } v && ReferenceEquals(v.owner, before)) mapped[i] = outputOf(v.index);
                }
            }
            if (current.op is Scan && WithoutUnused(current, node, used) is { } pruned)
            {
                applied.Add(RemoveUnusedName);
                Through(current, k => pruned.OutputOf[k] >= 0 ? pruned.Node.outputs[pruned.OutputOf[k]] : null);
                current = pruned.Node;
            }
            if (current.op is Scan scan && PushOut(current, scan) is { } rebuilt)
            {
                applied.Add(PushOutName);
                Through(current, k => rebuilt.outputs[k]);
                current = rebuilt;
            }
            if (current.op is Scan withDots && PushOutSequenceDots(current, withDots) is { } batched)
            {
                applied.Add(PushOutDotName);
                Through(current, k => batched.outputs[k]);
                current = batched;
            }
            if (current.op is Scan withReadouts && ScanOutputDots.Rewrite(current, withReadouts) is { } readout)
            {
                applied.Add(ScanOutputDots.Name);
                Through(current, k => readout.Outputs[k]);
                current = readout.Node;
            }
            if (current.op is Scan accumulating && ScanReductions.Rewrite(current, accumulating) is { } reduced)
            {
                applied.Add(ScanReductions.Name);
                Through(current, k => reduced.Outputs[k]);
                current = reduced.Node;
            }
            if (ReferenceEquals(current, node)) continue;
            for (var i = 0; i < node.outputs.Count; i++)
            {
                if (mapped[i] is { } v) memo[node.outputs[i]] = v;
            }
        }
        return [.. outputs.Select(v => memo.GetValueOrDefault(v, v))];
    }

    /// <summary>The scan without the not-fed-back outputs of <paramref name="original"/> that nothing reads, and
    /// where each original output went (-1: removed); null when all are read.</summary>
    private static (Apply Node, int[] OutputOf)? WithoutUnused(Apply node, Apply original, HashSet<Variable> used)
    {
        var (l, inner) = (((Scan)node.op).Layout, ((Scan)node.op).Inner);
        var unused = Enumerable.Range(l.Recurrent, l.NotFedBack).Where(o => !used.Contains(original.outputs[o])).ToHashSet();
        if (unused.Count == 0 || unused.Count == l.OutputCount) return null;
        var outputOf = new int[l.OutputCount];
        var kept = new List<Variable>();
        for (var o = 0; o < l.OutputCount; o++)
        {
            outputOf[o] = unused.Contains(o) ? -1 : kept.Count;
            if (outputOf[o] >= 0) kept.Add(inner.Outputs[o]);
        }
        var layout = l with { NotFedBack = l.NotFedBack - unused.Count };
        return (new Scan(layout, new InnerGraph(inner.Inputs, kept)).MakeNode([.. node.inputs]), outputOf);
    }

    private static Apply? PushOut(Apply node, Scan scan)
    {
        var (l, inner) = (scan.Layout, scan.Inner);
        var outerOf = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var p = 0; p < l.NonSequences; p++)
            outerOf[inner.Inputs[l.FirstInnerNonSequence + p]] = node.inputs[l.FirstOuterNonSequence + p];
        var invariant = new HashSet<Variable>(outerOf.Keys, ReferenceEqualityComparer.Instance);
        var innerNodes = GraphWalk.TopoSort(inner.Outputs);
        foreach (var n in innerNodes)
        {
            if (n.op.CanConstantFold && n.inputs.All(v => v is Constant || invariant.Contains(v))
                && n.inputs.Any(v => v is not Constant)) invariant.UnionWith(n.outputs);
        }
        // hoist the invariant values that the rest of the step (or an output) reads
        var read = innerNodes.Where(n => !n.outputs.All(invariant.Contains)).SelectMany(n => n.inputs)
            .Concat(inner.Outputs);
        var hoisted = read.Where(v => v.owner is not null && invariant.Contains(v))
            .Distinct(ReferenceEqualityComparer.Instance).Cast<Variable>().ToArray();
        if (hoisted.Length == 0) return null;

        var outer = GraphWalk.Replace(hoisted, outerOf);
        var placeholders = hoisted.Select(v => new Variable(v.type, name: v.name)).ToArray();
        var inside = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var h = 0; h < hoisted.Length; h++) inside[hoisted[h]] = placeholders[h];
        var layout = l with { NonSequences = l.NonSequences + hoisted.Length };
        var graph = new InnerGraph([.. inner.Inputs, .. placeholders],
            StepTestValues.Off(() => GraphWalk.Replace(inner.Outputs, inside)));
        return new Scan(layout, graph).MakeNode([.. node.inputs, .. outer]);
    }

    /// <summary>
    /// Theano's <c>PushOutSeqScan</c> for products: <c>dot(x[t], W)</c> of a sequence's row and a non-sequence is the
    /// row t of one product of the whole sequence, <c>dot(reshape(x, (steps·rows, k)), W)</c>, a GEMM large enough to
    /// run at full speed; the step reads its rows as a new sequence.
    /// </summary>
    private static Apply? PushOutSequenceDots(Apply node, Scan scan)
    {
        var (l, inner) = (scan.Layout, scan.Inner);
        var outerOf = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var j = 0; j < l.Sequences; j++) outerOf[inner.Inputs[j]] = node.inputs[1 + j];
        var nonSequences = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var p = 0; p < l.NonSequences; p++)
            nonSequences[inner.Inputs[l.FirstInnerNonSequence + p]] = node.inputs[l.FirstOuterNonSequence + p];
        var dots = GraphWalk.TopoSort(inner.Outputs).Where(n => n.op is Dot && n.inputs[0].ndim == 2 && n.inputs[1].ndim == 2
            && outerOf.ContainsKey(n.inputs[0]) && nonSequences.ContainsKey(n.inputs[1])).ToArray();
        if (dots.Length == 0) return null;

        var rows = new List<Variable>();
        var outer = new List<Variable>();
        var replaced = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var dot in dots)
        {
            var (x, w) = (outerOf[dot.inputs[0]], nonSequences[dot.inputs[1]]);
            outer.Add(StepRows.Times(x, w));
            var row = new Variable(dot.outputs[0].type, name: $"{dot.inputs[0].name ?? "x[t]"}·{dot.inputs[1].name ?? "W"}");
            rows.Add(row);
            replaced[dot.outputs[0]] = row;
        }
        var layout = l with { Sequences = l.Sequences + rows.Count };
        var innerInputs = inner.Inputs.Take(l.Sequences).Concat(rows).Concat(inner.Inputs.Skip(l.Sequences));
        var graph = new InnerGraph([.. innerInputs], StepTestValues.Off(() => GraphWalk.Replace(inner.Outputs, replaced)));
        return new Scan(layout, graph).MakeNode(
            [.. node.inputs.Take(1 + l.Sequences), .. outer, .. node.inputs.Skip(1 + l.Sequences)]);
    }
}
