using Theon.Ops;
using static Theon.T;

namespace Theon.Compile;

/// <summary>The local rewrites, grouped by phase. Each rule is one line of algebra and a guard on types.</summary>
public static class Rewrites
{
    public static readonly List<Rewrite> Canonicalize =
    [
        new("constant_folding", FoldConstants),
        new("local_useless_fill", n => Is<Second>(n) && SameType(n.inputs[1], n.outputs[0]) ? n.inputs[1] : null),   // fill(a, b) -> b
        new("local_fill_sink", SinkFill),                                                                             // f(fill(a, b), c) -> f(b, c)
        new("local_mul_by_one", n => Is<Mul>(n) ? DropConstantTerms(n, 1, mul) : null),                                // x * 1 -> x
        new("local_add_zero", n => Is<Add>(n) ? DropConstantTerms(n, 0, add) : null),                                  // x + 0 -> x
        new("local_sub_zero", n => Is<Sub>(n) && IsConstant(n.inputs[1], 0) && SameType(n.inputs[0], n.outputs[0]) ? n.inputs[0] : null),
        new("local_div_by_one", n => Is<TrueDiv>(n) && IsConstant(n.inputs[1], 1) && SameType(n.inputs[0], n.outputs[0]) ? n.inputs[0] : null),
        new("local_neg_neg", n => Is<Neg>(n) && Owner<Neg>(n.inputs[0]) is { } inner ? inner.inputs[0] : null),      // --x -> x
        new("local_neg_sub", n => Is<Sub>(n) && Owner<Neg>(n.inputs[0]) is { } a ? neg(add(a.inputs[0], n.inputs[1])) : null),   // -a - b -> -(a + b)
        new("local_useless_dimshuffle", n => n.op is DimShuffle d && d.NewOrder.SequenceEqual(Enumerable.Range(0, n.inputs[0].ndim)) ? n.inputs[0] : null),
        new("local_useless_cast", n => n.op is Elemwise { Scalar: Cast c } && n.inputs[0].type.dtype == c.To ? n.inputs[0] : null),
        new("local_dimshuffle_merge", MergeDimShuffles),          // dimshuffle(dimshuffle(x)) -> one dimshuffle
        new("local_reduce_broadcastable", ReduceBroadcastable),   // sum over axes of length 1 -> dimshuffle dropping them
        new("remove_zero_grad", n => n.op is ZeroGrad ? n.inputs[0] : null),
        new("remove_disconnected_grad", n => n.op is DisconnectedGrad ? n.inputs[0] : null),
    ];

    public static readonly List<Rewrite> Stabilize =
    [
        new("local_log_softmax", n => Is<Log>(n) && n.inputs[0].owner?.op is Softmax ? LogSoftmax.Op.MakeNode(n.inputs[0].owner!.inputs[0]).outputs[0] : null),
        new("local_log_sigmoid", n => Is<Log>(n) && Owner<Sigmoid>(n.inputs[0]) is { } s ? neg(softplus(neg(s.inputs[0]))) : null),   // log(sigmoid(x)) -> -softplus(-x)
        new("local_log1m_sigmoid", Log1mSigmoid),                                                                                       // log(1 - sigmoid(x)) -> -softplus(x)
        new("local_log1p_exp", n => Is<Log>(n) && Owner<Add>(n.inputs[0]) is { inputs.Count: 2 } a && IsConstant(a.inputs[0], 1) && Owner<Exp>(a.inputs[1]) is { } e
            ? softplus(e.inputs[0]) : null),                                                                                              // log(1 + exp(x)) -> softplus(x)
        new("local_sigmoid_from_exp", SigmoidFromExp),                                                                                  // 1 / (1 + exp(-x)) -> sigmoid(x)
        new("local_softmax_grad_of_div", SoftmaxGradOfDivision),                                                                        // sm * (G/sm - sum(G/sm * sm)) -> G - sm * sum(G)
        new("local_crossentropy_softmax_1hot", CrossentropyRewrites.Forward),       // -log_softmax(x)[arange(n), y] -> crossentropy_softmax_1hot(x, y)
        new("local_crossentropy_softmax_1hot_grad", CrossentropyRewrites.Gradient), // its gradient -> CrossentropySoftmax1HotDx
    ];

    public static readonly List<Rewrite> Specialize =
    [
        new("local_pow_specialize", PowSpecialize),   // x**2 -> sqr(x), x**0.5 -> sqrt(x), x**1 -> x
    ];

    internal static bool Is<TScalar>(Apply n) where TScalar : ScalarOp => n.op is Elemwise { Scalar: TScalar };

    internal static Apply? Owner<TScalar>(Variable v) where TScalar : ScalarOp => v.owner is { } n && Is<TScalar>(n) ? n : null;

    internal static bool SameType(Variable a, Variable b) => a.type == b.type;

    internal static bool IsConstant(Variable v, double value) => v is Constant { ScalarValue: { } x } && x == value;

    private static Variable? FoldConstants(Apply n)
    {
        if (!n.op.CanConstantFold || n.outputs.Count != 1 || !n.inputs.All(i => i is Constant) || n.op is IfElse) return null;
        var value = n.op.Perform(n, [.. n.inputs.Select(i => ((Constant)i).data)])[0];
        return value.size > 1_000_000 ? null : new Constant(value.Copy());
    }

    private static Variable? SinkFill(Apply n)
    {
        if (n.op is not Elemwise { Scalar: not Second } elemwise) return null;
        for (var i = 0; i < n.inputs.Count; i++)
        {
            if (Owner<Second>(n.inputs[i]) is not { } fill) continue;
            Variable[] inputs = [.. n.inputs.Select((v, j) => j == i ? fill.inputs[1] : v)];
            var candidate = elemwise.MakeNode(inputs).outputs[0];
            if (SameType(candidate, n.outputs[0])) return candidate;
        }
        return null;
    }

    private static Variable? DropConstantTerms(Apply n, double neutral, Func<Variable[], Variable> rebuild)
    {
        var kept = n.inputs.Where(v => !IsConstant(v, neutral)).ToArray();
        if (kept.Length == n.inputs.Count || kept.Length == 0) return null;
        var candidate = rebuild(kept);
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    private static Variable? MergeDimShuffles(Apply n)
    {
        if (n.op is not DimShuffle outer || n.inputs[0].owner is not { op: DimShuffle inner } first) return null;
        var x = first.inputs[0];
        object[] order = [.. outer.NewOrder.Select(a => a < 0 || inner.NewOrder[a] < 0 ? (object)'x' : inner.NewOrder[a])];
        var candidate = dimshuffle(x, order);
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    /// <summary>A reduction over axes known to have length 1 only drops them (Theano's local_reduce_broadcastable).</summary>
    private static Variable? ReduceBroadcastable(Apply n)
    {
        if (n.op is not Reduce r || n.inputs[0].type.dtype != n.outputs[0].type.dtype) return null;
        var x = n.inputs[0];
        var reduced = Enumerable.Range(0, x.ndim).Where(a => r.Axes is null || r.Axes.Contains(a)).ToArray();
        var ones = reduced.Where(a => x.type.broadcastable[a]).ToArray();
        if (ones.Length == 0) return null;
        var kept = Enumerable.Range(0, x.ndim).Except(ones).ToArray();
        var y = dimshuffle(x, [.. kept.Cast<object>()]);
        var rest = reduced.Except(ones).Select(a => Array.IndexOf(kept, a)).ToArray();
        var candidate = rest.Length == 0 ? y
            : new Reduce(r.Kind, rest.Length == y.ndim ? null : new Seq<int>(rest)).MakeNode(y).outputs[0];
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    private static Variable? Log1mSigmoid(Apply n) =>
        Is<Log>(n) && Owner<Sub>(n.inputs[0]) is { } s && IsConstant(s.inputs[0], 1) && Owner<Sigmoid>(s.inputs[1]) is { } sig
            ? neg(softplus(sig.inputs[0]))
            : null;

    private static Variable? SigmoidFromExp(Apply n)
    {
        if (!Is<TrueDiv>(n) || !IsConstant(n.inputs[0], 1)) return null;
        if (Owner<Add>(n.inputs[1]) is not { inputs.Count: 2 } sum) return null;
        var (one, other) = IsConstant(sum.inputs[0], 1) ? (sum.inputs[0], sum.inputs[1]) : (sum.inputs[1], sum.inputs[0]);
        if (!IsConstant(one, 1) || Owner<Exp>(other) is not { } e || Owner<Neg>(e.inputs[0]) is not { } negation) return null;
        var candidate = sigmoid(negation.inputs[0]);
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    /// <summary>
    /// The gradient of softmax when the output gradient divides by softmax (as the gradient of
    /// <c>log(softmax(x))</c> does in cross-entropy): <c>sm * (G/sm - sum(G/sm * sm, -1))</c> is
    /// <c>G - sm * sum(G, -1)</c>, which stays finite where a probability underflows to 0 (the division gave inf, then NaN).
    /// </summary>
    private static Variable? SoftmaxGradOfDivision(Apply n)
    {
        if (!Is<Mul>(n) || n.inputs.Count != 2 || n.inputs[0].owner?.op is not Softmax) return null;
        var sm = n.inputs[0];
        if (Owner<Sub>(n.inputs[1]) is not { } difference || Owner<TrueDiv>(difference.inputs[0]) is not { } division) return null;
        if (!ReferenceEquals(division.inputs[1], sm)) return null;
        if (difference.inputs[1].owner is not { op: DimShuffle } expand || expand.inputs[0].owner is not { op: Reduce { Kind: "sum" } sum } total)
            return null;
        if (sum.Axes is not [var axis] || axis != sm.ndim - 1) return null;
        if (Owner<Mul>(total.inputs[0]) is not { inputs: [var gz, var sm2] } || !ReferenceEquals(gz, difference.inputs[0]) || !ReferenceEquals(sm2, sm))
            return null;
        var g = division.inputs[0];
        var candidate = sub(g, mul(sm, T.sum(g, axis: [sm.ndim - 1], keepdims: true)));
        return SameType(candidate, n.outputs[0]) ? candidate : null;
    }

    private static Variable? PowSpecialize(Apply n)
    {
        if (!Is<Pow>(n) || n.inputs[1] is not Constant { ScalarValue: { } exponent }) return null;
        var x = n.inputs[0];
        Variable? candidate = exponent switch
        {
            1 => x,
            2 => sqr(x),
            0.5 => sqrt(x),
            _ => null,
        };
        return candidate is not null && SameType(candidate, n.outputs[0]) ? candidate : null;
    }
}
