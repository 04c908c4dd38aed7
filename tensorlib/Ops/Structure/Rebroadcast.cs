namespace Theon.Ops;

/// <summary>
/// Theano's <c>Rebroadcast</c>: the input unchanged, with the broadcastable flag of some axes set (<c>addbroadcast</c>,
/// checked when it runs: the axis must have length 1) or cleared (<c>unbroadcast</c>).
/// </summary>
public sealed record Rebroadcast(Seq<(int Axis, bool Broadcastable)> Axes) : Op
{
    /// <summary>As Theano prints it: one entry per axis up to the last one set, 1 or 0 where set, ? elsewhere.</summary>
    public override string Name
    {
        get
        {
            if (Axes.Count == 0) return "Rebroadcast{}";
            var pattern = Enumerable.Repeat("?", Axes.Max(a => a.Axis) + 1).ToArray();
            foreach (var (axis, value) in Axes) pattern[axis] = value ? "1" : "0";
            return $"Rebroadcast{{{string.Join(",", pattern)}}}";
        }
    }

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        var pattern = x.type.broadcastable.ToArray();
        foreach (var (axis, value) in Axes)
        {
            if (axis < 0 || axis >= x.ndim)
                throw new ArgumentException($"{Name}: axis {axis} is out of range for {x} of type {x.type}.");
            pattern[axis] = value;
        }
        return new Apply(this, [x], [x.type.WithBroadcastable(pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        foreach (var (axis, value) in Axes)
        {
            if (value && inputs[0].shape[axis] != 1)
                throw new ArgumentException(
                    $"{Name}: axis {axis} of {node.inputs[0]} was marked broadcastable but has length {inputs[0].shape[axis]} (shape {NDArray.ShapeString(inputs[0].shape)}).");
        }
        return [inputs[0].Copy()];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[0].Select((n, a) => Axes.Any(p => p.Axis == a && p.Broadcastable) ? SymbolicShapes.Int64(1) : n).ToArray()];

    /// <summary>Theano's Rebroadcast.grad: the gradient gets the input's flags back.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        var x = node.inputs[0];
        var restore = new Rebroadcast(new Seq<(int, bool)>(Axes.Select(p => (p.Axis, x.type.broadcastable[p.Axis]))));
        return [restore.MakeNode(gz).outputs[0]];
    }
}
