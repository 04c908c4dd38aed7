using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>
    /// Theano's <c>set_subtensor(x[idx], y)</c>: the whole tensor that <paramref name="x"/> was indexed from, with
    /// the indexed part replaced by <paramref name="y"/> (broadcast to it). Basic indices (integers, slices) and
    /// advanced ones (integer arrays) both work; a new tensor, the original is unchanged.
    /// </summary>
    public static Variable set_subtensor(Variable x, Variable y) => inc_subtensor(x, y, set_instead: true);

    /// <summary>
    /// Theano's <c>inc_subtensor(x[idx], y)</c>: the whole tensor that <paramref name="x"/> was indexed from, with
    /// <paramref name="y"/> added to the indexed part. With advanced indices a repeated position is incremented once
    /// per occurrence (numpy's <c>add.at</c>).
    /// </summary>
    public static Variable inc_subtensor(Variable x, Variable y, bool set_instead = false)
    {
        var name = set_instead ? "set_subtensor" : "inc_subtensor";
        switch (x.owner)
        {
            case { op: Subtensor s } node:
                IncrementChecks.Check(name, node.inputs[0], y, x.type);
                return new IncSubtensor(s.Specs, set_instead).MakeNode([node.inputs[0], y, .. node.inputs.Skip(1)]).outputs[0];
            case { op: AdvancedSubtensor } node:
                IncrementChecks.Check(name, node.inputs[0], y, x.type);
                return new AdvancedIncSubtensor(set_instead).MakeNode([node.inputs[0], y, .. node.inputs.Skip(1)]).outputs[0];
            default:
                throw new ArgumentException(
                    $"{name}: x must be the result of indexing a tensor (x[i], x[slice(a, b)], x[indices]), got {x} of type {x.type}" +
                    (x.owner is { } other ? $", made by {other.op}." : ", a graph input."), nameof(x));
        }
    }
}
