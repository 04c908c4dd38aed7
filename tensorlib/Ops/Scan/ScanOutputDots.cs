using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// An output not fed back that is a product of a recurrent output's new state and a non-sequence, <c>dot(h_t, V)</c>
/// (an RNN's readout), is row t of one product over all the states, <c>dot(reshape(h[1:], (steps·rows, k)), V)</c>,
/// computed after the loop: one GEMM large enough to run at full speed instead of a small one per step. The
/// counterpart, for outputs, of <c>scan_pushout_seq_dot</c>; the readout's gradient in the backward scan is a
/// product of a sequence's row, which that rewrite moves out.
/// </summary>
internal static class ScanOutputDots
{
    public const string Name = "scan_pushout_output_dot";

    private sealed record Readout(int Output, int State, int NonSequence);

    public static (Apply Node, Variable[] Outputs)? Rewrite(Apply node, Scan scan)
    {
        var (l, inner) = (scan.Layout, scan.Inner);
        // a scan that visits rows last first writes its states and its other outputs in opposite orders
        if (l.LastRowFirst) return null;
        var innerNodes = GraphWalk.TopoSort(inner.Outputs);
        var readouts = new List<Readout>();
        for (var o = l.Recurrent; o < l.OutputCount; o++)
        {
            var z = inner.Outputs[o];
            if (z.owner is not { op: Dot } product || product.inputs[0].ndim != 2 || product.inputs[1].ndim != 2
                || innerNodes.Any(n => n.inputs.Contains(z, ReferenceEqualityComparer.Instance))
                || inner.Outputs.Count(v => ReferenceEquals(v, z)) != 1)
                continue;
            var state = Enumerable.Range(0, l.Recurrent).FirstOrDefault(i => !l.KeepsLastOnly(i)
                && ReferenceEquals(inner.Outputs[i], product.inputs[0]), -1);
            var nonSequence = Enumerable.Range(0, l.NonSequences).FirstOrDefault(p =>
                ReferenceEquals(inner.Inputs[l.FirstInnerNonSequence + p], product.inputs[1]), -1);
            if (state >= 0 && nonSequence >= 0) readouts.Add(new Readout(o, state, nonSequence));
        }
        if (readouts.Count == 0) return null;

        var moved = readouts.Select(r => r.Output).ToHashSet();
        var kept = Enumerable.Range(0, l.OutputCount).Where(o => !moved.Contains(o)).ToArray();
        var rebuilt = new Scan(l with { NotFedBack = l.NotFedBack - moved.Count },
            new InnerGraph(inner.Inputs, [.. kept.Select(o => inner.Outputs[o])])).MakeNode([.. node.inputs]);
        var outputs = new Variable[l.OutputCount];
        for (var k = 0; k < kept.Length; k++) outputs[kept[k]] = rebuilt.outputs[k];
        foreach (var r in readouts)
        {
            var states = rebuilt.outputs[r.State][slice(constant((long)l.InitialRows(r.State)), null)];
            outputs[r.Output] = StepRows.Times(states, node.inputs[l.FirstOuterNonSequence + r.NonSequence]);
        }
        return (rebuilt, outputs);
    }
}
