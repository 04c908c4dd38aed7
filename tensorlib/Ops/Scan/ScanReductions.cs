using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// A scan whose output only accumulates becomes a reduction, where that is valid: an accumulator (a recurrent output
/// that keeps its last state only) whose step is <c>acc + dot(a.T, b)</c> or <c>acc + sum(f, axis: 0)</c>, with acc
/// read nowhere else, is the sum over the steps of those terms. That sum is one GEMM (or one reduction) over all the
/// steps' rows, <c>dot(rows(a).T, rows(b))</c>, computed after the loop; the step only outputs the rows of a, b or f
/// it computes (a sequence's rows are read directly). This is how the gradient of a weight matrix shared by every
/// step, summed by the backward scan, becomes one large product instead of one small product per step.
/// </summary>
internal static class ScanReductions
{
    public const string Name = "scan_accumulate_to_reduction";

    private sealed record Term(int Output, Variable[] Operands, bool IsDot);

    public static (Apply Node, Variable[] Outputs)? Rewrite(Apply node, Scan scan)
    {
        var (l, inner) = (scan.Layout, scan.Inner);
        var innerNodes = GraphWalk.TopoSort(inner.Outputs);
        var terms = new List<Term>();
        for (var i = 0; i < l.Recurrent; i++)
        {
            if (l.KeepsLastOnly(i) && Accumulated(inner, innerNodes, inner.Inputs[l.InnerTap(i, 0)], inner.Outputs[i]) is { } term)
                terms.Add(term with { Output = i });
        }
        if (terms.Count == 0) return null;

        var reduced = terms.Select(t => t.Output).ToHashSet();
        var exposed = new List<Variable>();   // step values the reductions read, output as rows
        foreach (var operand in terms.SelectMany(t => t.Operands))
        {
            if (SequenceIndex(inner, l, operand) < 0 && !exposed.Contains(operand, ReferenceEqualityComparer.Instance))
                exposed.Add(operand);
        }
        var keep = Enumerable.Range(0, l.Recurrent).Where(i => !reduced.Contains(i)).ToArray();
        var layout = l with
        {
            Taps = new Seq<Seq<int>>(keep.Select(i => l.Taps[i])),
            NotFedBack = l.NotFedBack + exposed.Count,
            LastOnly = new Seq<int>(keep.Select((i, k) => (i, k)).Where(p => l.KeepsLastOnly(p.i)).Select(p => p.k)),
        };
        Variable[] innerInputs =
        [
            .. inner.Inputs.Take(l.Sequences),
            .. keep.SelectMany(i => Enumerable.Range(0, l.Taps[i].Count).Select(k => inner.Inputs[l.InnerTap(i, k)])),
            .. inner.Inputs.Skip(l.FirstInnerNonSequence),
        ];
        Variable[] innerOutputs = [.. keep.Select(i => inner.Outputs[i]), .. inner.Outputs.Skip(l.Recurrent), .. exposed];
        var rebuilt = new Scan(layout, new InnerGraph(innerInputs, innerOutputs)).MakeNode(
        [
            .. node.inputs.Take(1 + l.Sequences), .. keep.Select(i => node.inputs[l.FirstInit + i]),
            .. node.inputs.Skip(l.FirstOuterNonSequence),
        ]);

        var steps = node.inputs[0];
        // columns from the accumulator (see StepRows.Flat)
        Variable Rows(Variable operand, Variable columns)
        {
            var j = SequenceIndex(inner, l, operand);
            var rows = j >= 0
                ? node.inputs[1 + j][slice(null, steps)]
                : rebuilt.outputs[keep.Length + l.NotFedBack + exposed.FindIndex(e => ReferenceEquals(e, operand))];
            return StepRows.Flat(rows, columns);
        }
        var outputs = new Variable[l.OutputCount];
        for (var k = 0; k < keep.Length; k++) outputs[keep[k]] = rebuilt.outputs[k];
        for (var q = 0; q < l.NotFedBack; q++) outputs[l.Recurrent + q] = rebuilt.outputs[keep.Length + q];
        foreach (var term in terms)
        {
            var init = node.inputs[l.FirstInit + term.Output][0];
            var total = term.IsDot
                ? dot(transpose(Rows(term.Operands[0], shape(init)[0])), Rows(term.Operands[1], shape(init)[1]))
                : sum(Rows(term.Operands[0], shape(init)[0]), axis: 0);
            outputs[term.Output] = add(init, total);
        }
        return (rebuilt, outputs);
    }

    /// <summary>The term of <c>y = acc + term</c> when acc is read by that addition only and the term is a product
    /// of a transposed matrix row block and another, or a sum over the first axis, of 2-d step values.</summary>
    private static Term? Accumulated(InnerGraph inner, List<Apply> nodes, Variable acc, Variable y)
    {
        if (y.owner is not { op: Elemwise { Scalar: Add }, inputs.Count: 2 } addition) return null;
        var term = ReferenceEquals(addition.inputs[0], acc) ? Unwrapped(addition.inputs[1])
            : ReferenceEquals(addition.inputs[1], acc) ? Unwrapped(addition.inputs[0]) : null;
        if (term?.owner is not { } made || term.type != acc.type) return null;
        var readers = nodes.Count(n => n.inputs.Contains(acc, ReferenceEqualityComparer.Instance));
        if (readers != 1 || inner.Outputs.Count(o => ReferenceEquals(o, acc) || ReferenceEquals(o, y)) != 1
            || nodes.Any(n => n.inputs.Contains(y, ReferenceEqualityComparer.Instance)))
            return null;
        if (made.op is Dot && made.inputs[0].owner is { op: DimShuffle d } transposed && d.NewOrder.SequenceEqual([1, 0])
            && transposed.inputs[0].ndim == 2 && made.inputs[1].ndim == 2)
            return new Term(-1, [transposed.inputs[0], made.inputs[1]], IsDot: true);
        if (made.op is Reduce { Kind: "sum", Axes: [0] } && made.inputs[0].ndim == 2)
            return new Term(-1, [made.inputs[0]], IsDot: false);
        return null;
    }

    /// <summary>
    /// A vector summed over a leading axis that was only added to broadcast it, <c>dimshuffle(sum(dimshuffle(v,
    /// ('x', 0)), axis: 0), (0,))</c>, is <c>v</c>: how the gradient of a bias added to every row reaches its
    /// accumulator (canonicalize would remove the wrapping, but this rewrite runs before it).
    /// </summary>
    private static Variable Unwrapped(Variable v) =>
        v.owner is { op: DimShuffle { NewOrder: [0] } } drop
        && drop.inputs[0].owner is { op: Reduce { Kind: "sum", Axes: [0] } } sum
        && sum.inputs[0].owner is { op: DimShuffle { NewOrder: [< 0, 0] } } added
        && added.inputs[0].type == v.type ? added.inputs[0] : v;

    private static int SequenceIndex(InnerGraph inner, ScanLayout l, Variable v)
    {
        for (var j = 0; j < l.Sequences; j++)
        {
            if (ReferenceEquals(inner.Inputs[j], v)) return j;
        }
        return -1;
    }
}
