using Theon.Ops;
using static Theon.Compile.Rewrites;
using static Theon.T;

namespace Theon.Compile;

/// <summary>
/// Theano's <c>local_advanced_indexing_crossentropy_onehot</c> and its gradient: the categorical cross-entropy of a
/// softmax with integer labels, and the gradient the graph differentiation builds for it, become the fused ops
/// <see cref="CrossentropySoftmax1Hot"/> and <see cref="CrossentropySoftmax1HotDx"/>.
/// </summary>
internal static class CrossentropyRewrites
{
    /// <summary><c>-(log_softmax(x)[arange(n), y])</c>, <c>n</c> the rows of <c>x</c> or the length of
    /// <c>y</c>.</summary>
    public static Variable? Forward(Apply n)
    {
        if (!Is<Neg>(n) || n.inputs[0].owner is not
            { op: AdvancedSubtensor, inputs: [var logSoftmax, var rows, var y] })
            return null;
        if (logSoftmax.owner is not { op: LogSoftmax, inputs: [var x] } || x.ndim != 2 || y.ndim != 1) return null;
        if (!y.type.dtype.IsInteger || !IsRowRange(rows, x, y)) return null;
        var candidate = CrossentropySoftmax1Hot.Op.MakeNode(x, y).outputs[0];
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    /// <summary>
    /// <c>G - sm * sum(G, -1)[:, None]</c> where <c>G</c> scatters <c>g</c> into zeros at <c>[arange(n), y]</c> (the
    /// gradient of the log-softmax at the picked entries, after <c>local_softmax_grad_of_div</c>): one row holds one
    /// entry, so the row sum is <c>g</c> and the whole is <c>-g[:, None] * (sm - onehot(y))</c>.
    /// </summary>
    public static Variable? Gradient(Apply n)
    {
        if (!Is<Sub>(n) || n.inputs is not [var scattered, var product]) return null;
        if (scattered.owner is not { op: AdvancedIncSubtensor { SetInstead: false }, inputs: [var zeros, var g, var rows, var y] })
            return null;
        if (Owner<Mul>(product) is not { inputs: [var left, var right] }) return null;
        var (sm, rowSum) = left.owner?.op is Softmax ? (left, right) : (right, left);
        if (sm.owner is not { op: Softmax, inputs: [var x] } || x.ndim != 2 || g.ndim != 1 || y.ndim != 1) return null;
        if (!IsZeros(zeros) || !IsRowRange(rows, x, y) || !IsRowSumOf(rowSum, scattered)) return null;
        if (g.type.dtype != sm.type.dtype) return null;
        var candidate = CrossentropySoftmax1HotDx.Op.MakeNode(neg(g), sm, y).outputs[0];
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    private static bool IsZeros(Variable v) =>
        IsConstant(v, 0) || Owner<Second>(v) is { } fill && IsConstant(fill.inputs[1], 0);

    /// <summary><c>sum(v, axis=1)[:, None]</c>.</summary>
    private static bool IsRowSumOf(Variable candidate, Variable v) =>
        candidate.owner is { op: DimShuffle shuffle, inputs: [var summed] } && shuffle.NewOrder.SequenceEqual([0, -1])
        && summed.owner is { op: Reduce { Kind: "sum", Axes: [1] }, inputs: [var source] }
        && ReferenceEquals(source, v);

    /// <summary><c>arange(0, shape(v)[0], 1)</c> with <c>v</c> the logits or the labels.</summary>
    private static bool IsRowRange(Variable rows, Variable x, Variable y)
    {
        if (rows.owner is not { op: ARange, inputs: [var start, var stop, var step] }) return false;
        if (!IsConstant(start, 0) || !IsConstant(step, 1)) return false;
        if (stop.owner is not { op: Subtensor { Specs: [ScalarIndex] }, inputs: [var shape, var index] }
            || !IsConstant(index, 0))
            return false;
        return shape.owner is { op: Shape, inputs: [var source] }
            && (ReferenceEquals(source, x) || ReferenceEquals(source, y));
    }
}
