using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Back-propagation through time as another <see cref="Scan"/> over the steps in reverse order (it visits rows in
/// the opposite order to the forward scan, <see cref="ScanLayout.LastRowFirst"/>, so it reads the forward rows where
/// they are). Step t of the backward
/// scan gets the gradient of each recurrent output's row t, which is complete then (only later steps read it, and
/// they ran first), pulls it back through the inner graph, and carries the gradients of the rows that step t read
/// to the steps that wrote them: recurrent output i with deepest tap -m has m carries, carry k holding what the
/// steps already processed sent to row t - k. Gradients of non-sequences accumulate in carries of their own; the
/// rows of the sequences' gradients are outputs. With truncate_gradient the backward scan runs over the last steps
/// only, and earlier rows get no gradient (Theano's rule).
/// </summary>
internal static class ScanGrad
{
    public static Variable?[] Build(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var op = (Scan)node.op;
        var l = op.Layout;
        var inner = op.Inner;
        var result = new Variable?[node.inputs.Count];
        var gH = Enumerable.Range(0, l.Recurrent).Select(i => FloatGradient(node, outputGradients, i)).ToArray();
        var gZ = Enumerable.Range(l.Recurrent, l.NotFedBack).Select(q => FloatGradient(node, outputGradients, q)).ToArray();
        if (gH.All(g => g is null) && gZ.All(g => g is null)) return result;
        (node, gH) = WithHistory(node, gH);

        var (n, covered) = Steps(node);
        var start = sub(n, covered);

        var seqInner = new List<Variable>();
        var seqOuter = new List<Variable>();
        void Sequence(Variable innerRow, Variable outer)
        {
            seqInner.Add(innerRow);
            seqOuter.Add(outer);
        }
        for (var j = 0; j < l.Sequences; j++) Sequence(inner.Inputs[j], RowWindow(node, node.inputs[1 + j]));
        for (var i = 0; i < l.Recurrent; i++)
        {
            for (var k = 0; k < l.Taps[i].Count; k++)
                Sequence(inner.Inputs[l.InnerTap(i, k)], StepWindow(node, node.outputs[i], l.InitialRows(i) + l.Taps[i][k]));
        }
        var gyExternal = new Variable?[l.Recurrent];
        for (var i = 0; i < l.Recurrent; i++)
        {
            if (gH[i] is not { } g) continue;
            var state = inner.Inputs[l.InnerTap(i, 0)];
            gyExternal[i] = new Variable(state.type, name: $"d{Named(state)}");
            Sequence(gyExternal[i]!, cast(StepWindow(node, g, l.InitialRows(i)), state.type.dtype));
        }
        var gzRow = new Variable?[l.NotFedBack];
        for (var q = 0; q < l.NotFedBack; q++)
        {
            if (gZ[q] is not { } g) continue;
            var z = inner.Outputs[l.Recurrent + q];
            gzRow[q] = new Variable(z.type, name: $"d{Named(z)}");
            Sequence(gzRow[q]!, cast(RowWindow(node, g), z.type.dtype));
        }

        // carries[i][k - 1]: carry k of recurrent output i (float outputs only)
        var carries = new Variable[l.Recurrent][];
        var carryInits = new List<Variable>();
        for (var i = 0; i < l.Recurrent; i++)
        {
            var state = inner.Inputs[l.InnerTap(i, 0)];
            var rows = state.type.dtype.IsFloat ? l.InitialRows(i) : 0;
            carries[i] = [.. Enumerable.Range(1, rows).Select(k => new Variable(state.type, name: $"carry{k}_{Named(state)}"))];
            for (var k = 0; k < rows; k++) carryInits.Add(Row(zeros_like(node.inputs[l.FirstInit + i][0])));
        }
        var nonSequences = Enumerable.Range(0, l.NonSequences).Select(p => inner.Inputs[l.FirstInnerNonSequence + p]).ToArray();
        var accumulated = nonSequences.Where(w => w.type.dtype.IsFloat).ToArray();
        var accumulators = accumulated.Select(w => new Variable(w.type, name: $"acc_d{Named(w)}")).ToArray();
        var accumulatorInits = Enumerable.Range(0, l.NonSequences)
            .Where(p => nonSequences[p].type.dtype.IsFloat)
            .Select(p => Row(zeros_like(node.inputs[l.FirstOuterNonSequence + p])));

        var seqWrt = Enumerable.Range(0, l.Sequences).Select(j => inner.Inputs[j]).Where(x => x.type.dtype.IsFloat).ToArray();
        var innerOutputs = new List<Variable>();
        // the step's pullback is a derived graph: built without test values (its placeholders have none)
        StepTestValues.Off(() =>
        {
            // the pullback of the step's outputs' gradients, as Theano's scan grad does it (known_grads, no cost): a
            // step output's gradient reaches its inputs as the graph it is (dot(dz, V.T)), which the scan rewrites
            // can then move out of the loop
            var known = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
            void Known(Variable output, Variable g)
            {
                if (!output.type.dtype.IsFloat) return;
                known[output] = known.TryGetValue(output, out var other) ? add(other, g) : g;
            }
            for (var i = 0; i < l.Recurrent; i++)
            {
                var parts = new[] { gyExternal[i], carries[i].FirstOrDefault() }.OfType<Variable>().ToArray();
                if (parts.Length > 0) Known(inner.Outputs[i], add(parts));
            }
            for (var q = 0; q < l.NotFedBack; q++)
            {
                if (gzRow[q] is { } g) Known(inner.Outputs[l.Recurrent + q], g);
            }
            var tapWrt = Enumerable.Range(0, l.Recurrent).SelectMany(i => carries[i].Length == 0 ? []
                : l.Taps[i].Select((_, k) => inner.Inputs[l.InnerTap(i, k)])).ToArray();
            var wrt = seqWrt.Concat(tapWrt).Concat(accumulated).ToArray();
            var grads = wrt.Length == 0 ? [] : known.Count == 0 ? [.. wrt.Select(zeros_like)]
                : grad(null, wrt, disconnected_inputs: "ignore", known_grads: known);
            var gradOf = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
            for (var w = 0; w < wrt.Length; w++) gradOf[wrt[w]] = grads[w];

            for (var i = 0; i < l.Recurrent; i++)
            {
                for (var k = 1; k <= carries[i].Length; k++)
                {
                    var tap = l.Taps[i].ToList().IndexOf(-k);
                    var parts = new[]
                    {
                        k < carries[i].Length ? carries[i][k] : null,
                        tap >= 0 ? gradOf[inner.Inputs[l.InnerTap(i, tap)]] : null,
                    }.OfType<Variable>().ToArray();
                    innerOutputs.Add(parts.Length == 0 ? zeros_like(carries[i][0]) : add(parts));
                }
            }
            for (var a = 0; a < accumulators.Length; a++) innerOutputs.Add(add(accumulators[a], gradOf[accumulated[a]]));
            innerOutputs.AddRange(seqWrt.Select(x => gradOf[x]));
            return innerOutputs;
        });

        ReadForwardRows(node, innerOutputs, Sequence);

        var recurrentInner = carries.SelectMany(c => c).Concat(accumulators).ToArray();
        var layout = new ScanLayout(seqInner.Count,
            new Seq<Seq<int>>(recurrentInner.Select(_ => new Seq<int>([-1]))), seqWrt.Length, l.NonSequences, -1,
            $"grad_of_{l.FnName}")
        {
            LastOnly = new Seq<int>(Enumerable.Range(0, recurrentInner.Length)),
            LastRowFirst = !l.LastRowFirst,
        };
        var backward = new Scan(layout, new InnerGraph([.. seqInner, .. recurrentInner, .. nonSequences], innerOutputs))
            .MakeNode([covered, .. seqOuter, .. carryInits, .. accumulatorInits,
                .. node.inputs.Skip(l.FirstOuterNonSequence)]);

        var outIndex = 0;
        var complete = l.TruncateGradient < 0 ? null : eq(start, constant(0L));
        for (var i = 0; i < l.Recurrent; i++)
        {
            var finals = carries[i].Select(_ => backward.outputs[outIndex++]).Reverse().ToArray();
            if (finals.Length == 0) continue;
            Variable init = stack(finals);
            if (complete is not null) init = mul(init, cast(complete, init.type.dtype));
            if (gH[i] is { } g) init = add(init, g[slice(null, constant((long)l.InitialRows(i)))]);
            result[l.FirstInit + i] = init;
        }
        for (var p = 0; p < l.NonSequences; p++)
        {
            if (nonSequences[p].type.dtype.IsFloat) result[l.FirstOuterNonSequence + p] = backward.outputs[outIndex++];
        }
        var seqOutput = 0;
        for (var j = 0; j < l.Sequences; j++)
        {
            if (!inner.Inputs[j].type.dtype.IsFloat) continue;
            var rows = backward.outputs[outIndex + seqOutput++];
            var (first, end) = RowRange(node);
            result[1 + j] = new IncSubtensor(new Seq<IndexSpec>([new SliceIndex(true, true, false)]))
                .MakeNode(zeros_like(node.inputs[1 + j]), rows, first, end).outputs[0];
        }
        return result;
    }

    /// <summary>
    /// The pullback of a step reads the step's outputs (tanh's derivative is 1 - y²): those values are already in the
    /// forward scan's rows, so the backward step reads them as sequences instead of computing the forward step again.
    /// </summary>
    private static void ReadForwardRows(Apply node, List<Variable> innerOutputs, Action<Variable, Variable> sequence)
    {
        var (l, inner) = (((Scan)node.op).Layout, ((Scan)node.op).Inner);
        var rows = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        var outer = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var o = 0; o < l.OutputCount; o++)
        {
            var y = inner.Outputs[o];
            if (y.owner is null || rows.ContainsKey(y)) continue;
            rows[y] = new Variable(y.type, name: $"{y.name ?? $"output{o}"}[t]");
            outer[rows[y]] = o < l.Recurrent ? StepWindow(node, node.outputs[o], l.InitialRows(o))
                : RowWindow(node, node.outputs[o]);
        }
        var replaced = StepTestValues.Off(() => GraphWalk.Replace(innerOutputs, rows));
        innerOutputs.Clear();
        innerOutputs.AddRange(replaced);
        var read = GraphWalk.Inputs(replaced).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var (row, source) in outer)
        {
            if (read.Contains(row)) sequence(row, source);
        }
    }

    /// <summary>
    /// The rows of a sequence (or of an output not fed back, or of its gradient) that the covered steps read, in row
    /// order: the backward scan visits them in the opposite order to the forward one, so step t' of the backward scan
    /// reads the row of forward step n - 1 - t'.
    /// </summary>
    private static Variable RowWindow(Apply node, Variable x)
    {
        var (first, end) = RowRange(node);
        return x[slice(first, end)];
    }

    /// <summary>Rows [first, end) that the covered steps read: the last steps' rows, which are the first rows when the
    /// forward scan visits rows last first.</summary>
    private static (Variable First, Variable End) RowRange(Apply node)
    {
        var (n, covered) = Steps(node);
        return ((Scan)node.op).Layout.LastRowFirst ? (constant(0L), covered) : (sub(n, covered), n);
    }

    /// <summary>
    /// Rows first .. first + covered of a recurrent output's buffer (or of its gradient), which holds a row per step in
    /// the order the steps ran: last step first for the backward scan, so reversed when that scan visits rows in row
    /// order.
    /// </summary>
    private static Variable StepWindow(Apply node, Variable x, long first)
    {
        var (n, covered) = Steps(node);
        var start = add(sub(n, covered), constant(first));
        var rows = x[slice(start, add(start, covered))];
        return ((Scan)node.op).Layout.LastRowFirst ? rows[slice(null, null, constant(-1L))] : rows;
    }

    /// <summary>The forward steps and the steps back-propagation covers (all, or the last truncate_gradient).</summary>
    private static (Variable N, Variable Covered) Steps(Apply node)
    {
        var n = node.inputs[0];
        var truncate = ((Scan)node.op).Layout.TruncateGradient;
        return (n, truncate < 0 ? n : minimum(n, constant((long)truncate)));
    }

    /// <summary>
    /// Back-propagation reads every step's state, which an output that keeps its last state only does not hold: the
    /// same loop is run again with every row kept (only in graphs that differentiate a gradient's scan), and the
    /// gradient of such a final state becomes that of the last row.
    /// </summary>
    private static (Apply Node, Variable?[] Gradients) WithHistory(Apply node, Variable?[] gH)
    {
        var scan = (Scan)node.op;
        if (scan.Layout.LastOnly.Count == 0) return (node, gH);
        var full = new Scan(scan.Layout with { LastOnly = Seq<int>.Empty }, scan.Inner).MakeNode([.. node.inputs]);
        var gradients = gH.Select((g, i) => g is null || !scan.Layout.KeepsLastOnly(i) ? g
            : new IncSubtensor(new Seq<IndexSpec>([ScalarIndex.Instance]))
                .MakeNode(zeros_like(full.outputs[i]), g, Constant.Index(-1)).outputs[0]).ToArray();
        return (full, gradients);
    }

    private static Variable? FloatGradient(Apply node, IReadOnlyList<Variable?> outputGradients, int output) =>
        outputGradients[output] is { } g && node.outputs[output].type.dtype.IsFloat ? g : null;

    /// <summary>A state as a one-row initial value (the layout of a tap -1 recurrent output).</summary>
    private static Variable Row(Variable state) =>
        dimshuffle(state, ['x', .. Enumerable.Range(0, state.ndim).Cast<object>()]);

    private static string Named(Variable v) => v.name ?? "x";
}
