using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Reorders axes, inserts broadcastable axes (<c>'x'</c>, stored as -1) and drops broadcastable ones:
/// <c>x.dimshuffle('x', 0)</c> makes a row of a vector, <c>x.dimshuffle(1, 0)</c> transposes. Always a view.
/// </summary>
public sealed record DimShuffle(Seq<bool> InputBroadcastable, Seq<int> NewOrder) : Op
{
    public override string Name => $"DimShuffle{{{string.Join(",", NewOrder.Select(a => a < 0 ? "x" : a.ToString()))}}}";

    public static DimShuffle Create(IReadOnlyList<bool> inputBroadcastable, IEnumerable<object> pattern)
    {
        var order = pattern.Select(p => p switch
        {
            'x' or "x" => -1,
            int i => i,
            long l => (int)l,
            _ => throw new ArgumentException($"dimshuffle: each entry is an axis number or 'x', got {p}."),
        }).ToArray();
        var ndim = inputBroadcastable.Count;
        var kept = order.Where(a => a >= 0).ToArray();
        if (kept.Any(a => a >= ndim))
            throw new ArgumentException($"dimshuffle: axis {kept.Max()} does not exist in an input of {ndim} dimension(s).");
        if (kept.Distinct().Count() != kept.Length)
            throw new ArgumentException($"dimshuffle: an axis appears twice in ({string.Join(", ", pattern)}).");
        for (var axis = 0; axis < ndim; axis++)
        {
            if (!kept.Contains(axis) && !inputBroadcastable[axis])
                throw new ArgumentException($"dimshuffle: axis {axis} is dropped but is not broadcastable (it may be longer than 1).");
        }
        return new DimShuffle(new Seq<bool>(inputBroadcastable), order);
    }

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (!x.type.broadcastable.SequenceEqual(InputBroadcastable))
            throw new ArgumentException($"{Name}: expected an input of pattern ({InputBroadcastable}), got {x.type}.");
        return new Apply(this, [x], [x.type.WithBroadcastable(NewOrder.Select(a => a < 0 || InputBroadcastable[a]))]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var x = inputs[0];
        var dropped = Enumerable.Range(0, x.ndim).Where(a => !NewOrder.Contains(a)).ToArray();
        if (dropped.Length > 0) x = x.Squeeze(dropped);
        var kept = NewOrder.Where(a => a >= 0).ToArray();
        var renumbered = kept.Select(a => kept.Count(b => b < a)).ToArray();
        if (!renumbered.SequenceEqual(Enumerable.Range(0, renumbered.Length))) x = x.transpose(renumbered);
        for (var position = 0; position < NewOrder.Count; position++)
        {
            if (NewOrder[position] < 0) x = x.ExpandDims(position);
        }
        return [x];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [NewOrder.Select(a => a < 0 ? SymbolicShapes.One : inputShapes[0][a]).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        var inserted = Enumerable.Range(0, NewOrder.Count).Where(p => NewOrder[p] < 0).ToArray();
        if (inserted.Length > 0) gz = sum(gz, axis: inserted);
        var kept = NewOrder.Where(a => a >= 0).ToList();
        var back = Enumerable.Range(0, InputBroadcastable.Count).Select(a => kept.Contains(a) ? (object)kept.IndexOf(a) : 'x');
        return [Elemwise.SumOverBroadcastAxes(gz.dimshuffle([.. back]), node.inputs[0])];
    }

    /// <summary>Theano's DimShufflePrinter: broadcasting pads are invisible, a full reversal prints as <c>x.T</c>.</summary>
    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output)
    {
        var order = NewOrder.AsEnumerable();
        while (order.FirstOrDefault(0) < 0 && order.Any()) order = order.Skip(1);
        var rest = order.ToArray();
        var ndim = InputBroadcastable.Count;
        if (rest.SequenceEqual(Enumerable.Range(0, ndim))) return inputs[0];
        if (rest.SequenceEqual(Enumerable.Range(0, ndim).Reverse())) return $"{inputs[0]}.T";
        return $"DimShuffle{{{string.Join(", ", rest.Select(a => a < 0 ? "x" : a.ToString()))}}}({inputs[0]})";
    }
}
