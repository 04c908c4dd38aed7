using Theon.Ops;

namespace Theon;

public static partial class T
{
    internal static Variable ApplyScalar(ScalarOp op, params Variable[] inputs) => new Elemwise(op).MakeNode(inputs).outputs[0];

    public static Variable add(params Variable[] terms) => terms.Length == 1 ? terms[0] : ApplyScalar(Add.Op, terms);
    public static Variable sub(Variable a, Variable b) => ApplyScalar(Sub.Op, a, b);
    public static Variable mul(params Variable[] factors) => factors.Length == 1 ? factors[0] : ApplyScalar(Mul.Op, factors);
    public static Variable true_div(Variable a, Variable b) => ApplyScalar(TrueDiv.Op, a, b);

    /// <summary>Theano's int_div, Python's <c>a // b</c>: the quotient floored, in the inputs' upcast dtype.</summary>
    public static Variable int_div(Variable a, Variable b) => ApplyScalar(IntDiv.Op, a, b);

    /// <summary>Theano's floor_div, the same op as <see cref="int_div"/>.</summary>
    public static Variable floor_div(Variable a, Variable b) => int_div(a, b);

    public static Variable and_(Variable a, Variable b) => ApplyScalar(And.Op, a, b);
    public static Variable or_(Variable a, Variable b) => ApplyScalar(Or.Op, a, b);
    public static Variable xor(Variable a, Variable b) => ApplyScalar(Xor.Op, a, b);

    /// <summary>Theano's invert, <c>~a</c>: the bits flipped for integers, logical not for bools.</summary>
    public static Variable invert(Variable a) => ApplyScalar(Invert.Op, a);

    /// <summary>Theano's mod, Python's <c>a % b</c>: the remainder with the sign of <paramref name="b"/>.</summary>
    public static Variable mod(Variable a, Variable b) => ApplyScalar(Mod.Op, a, b);
    public static Variable neg(Variable a) => ApplyScalar(Neg.Op, a);
    public static Variable pow(Variable a, Variable b) => ApplyScalar(Pow.Op, a, b);
    public static Variable abs(Variable a) => ApplyScalar(Abs.Op, a);
    public static Variable sgn(Variable a) => ApplyScalar(Sgn.Op, a);
    public static Variable exp(Variable a) => ApplyScalar(Exp.Op, a);
    public static Variable log(Variable a) => ApplyScalar(Log.Op, a);
    public static Variable log1p(Variable a) => ApplyScalar(Log1p.Op, a);
    public static Variable sqrt(Variable a) => ApplyScalar(Sqrt.Op, a);
    public static Variable sqr(Variable a) => ApplyScalar(Sqr.Op, a);
    public static Variable ceil(Variable a) => ApplyScalar(Ceil.Op, a);
    public static Variable floor(Variable a) => ApplyScalar(Floor.Op, a);
    public static Variable trunc(Variable a) => ApplyScalar(Trunc.Op, a);

    /// <summary>
    /// Theano's <c>round(a, mode)</c>: the nearest integer, halves to the even neighbour (<c>"half_to_even"</c>,
    /// numpy's <c>np.round</c>) or away from zero (<c>"half_away_from_zero"</c>). The default is Theano's documented
    /// one, <c>"half_to_even"</c> (Theano warns that it changed from half_away_from_zero; Theon does not warn).
    /// Integers become floats, as for <see cref="floor"/>. No gradient.
    /// </summary>
    public static Variable round(Variable a, string mode = "half_to_even") => mode switch
    {
        "half_to_even" => round_half_to_even(a),
        "half_away_from_zero" => round_half_away_from_zero(a),
        _ => throw new ArgumentException($"round mode {mode} is not implemented.", nameof(mode)),
    };

    public static Variable round_half_to_even(Variable a) => ApplyScalar(RoundHalfToEven.Op, a);
    public static Variable round_half_away_from_zero(Variable a) => ApplyScalar(RoundHalfAwayFromZero.Op, a);
    public static Variable deg2rad(Variable a) => ApplyScalar(Deg2Rad.Op, a);
    public static Variable rad2deg(Variable a) => ApplyScalar(Rad2Deg.Op, a);
    public static Variable tanh(Variable a) => ApplyScalar(Tanh.Op, a);
    public static Variable sin(Variable a) => ApplyScalar(Sin.Op, a);
    public static Variable cos(Variable a) => ApplyScalar(Cos.Op, a);
    public static Variable tan(Variable a) => ApplyScalar(Tan.Op, a);
    public static Variable arcsin(Variable a) => ApplyScalar(Arcsin.Op, a);
    public static Variable arccos(Variable a) => ApplyScalar(Arccos.Op, a);
    public static Variable arctan(Variable a) => ApplyScalar(Arctan.Op, a);

    /// <summary>numpy's arctan2(y, x): the angle of the point (x, y) in [-pi, pi]; integers become floats.</summary>
    public static Variable arctan2(Variable y, Variable x) => ApplyScalar(Arctan2.Op, y, x);
    public static Variable sinh(Variable a) => ApplyScalar(Sinh.Op, a);
    public static Variable cosh(Variable a) => ApplyScalar(Cosh.Op, a);
    public static Variable arcsinh(Variable a) => ApplyScalar(Arcsinh.Op, a);
    public static Variable arccosh(Variable a) => ApplyScalar(Arccosh.Op, a);
    public static Variable arctanh(Variable a) => ApplyScalar(Arctanh.Op, a);
    public static Variable exp2(Variable a) => ApplyScalar(Exp2.Op, a);
    public static Variable expm1(Variable a) => ApplyScalar(Expm1.Op, a);
    public static Variable log2(Variable a) => ApplyScalar(Log2.Op, a);
    public static Variable log10(Variable a) => ApplyScalar(Log10.Op, a);
    public static Variable inv(Variable a) => ApplyScalar(Inv.Op, a);

    /// <summary>The same op as <see cref="inv"/>.</summary>
    public static Variable reciprocal(Variable a) => inv(a);

    public static Variable sigmoid(Variable a) => ApplyScalar(Sigmoid.Op, a);
    public static Variable softplus(Variable a) => ApplyScalar(Softplus.Op, a);
    public static Variable relu(Variable a) => ApplyScalar(Relu.Op, a);
    public static Variable maximum(Variable a, Variable b) => ApplyScalar(Maximum.Op, a, b);
    public static Variable minimum(Variable a, Variable b) => ApplyScalar(Minimum.Op, a, b);
    public static Variable clip(Variable a, Variable min, Variable max) => ApplyScalar(Clip.Op, a, min, max);

    public static Variable isnan(Variable a) => ApplyScalar(IsNan.Op, a);
    public static Variable isinf(Variable a) => ApplyScalar(IsInf.Op, a);

    public static Variable lt(Variable a, Variable b) => ApplyScalar(Compare.Lt, a, b);
    public static Variable gt(Variable a, Variable b) => ApplyScalar(Compare.Gt, a, b);
    public static Variable le(Variable a, Variable b) => ApplyScalar(Compare.Le, a, b);
    public static Variable ge(Variable a, Variable b) => ApplyScalar(Compare.Ge, a, b);
    public static Variable eq(Variable a, Variable b) => ApplyScalar(Compare.Eq, a, b);
    public static Variable neq(Variable a, Variable b) => ApplyScalar(Compare.Neq, a, b);

    /// <summary>Elementwise choice, both sides computed: <c>a</c> where <c>condition</c> is non-zero, else <c>b</c>.</summary>
    public static Variable @switch(Variable condition, Variable a, Variable b) => ApplyScalar(Switch.Op, condition, a, b);

    /// <summary>Lazy choice on a scalar condition: only the chosen branch is computed.</summary>
    public static Variable ifelse(Variable condition, Variable then, Variable @else) => IfElse.Op.MakeNode(condition, then, @else).outputs[0];

    public static Variable cast(Variable x, string dtype) => cast(x, DType.Parse(dtype));

    public static Variable cast(Variable x, DType dtype) => x.type.dtype == dtype ? x : ApplyScalar(new Cast(dtype), x);

    /// <summary>Theano's <c>fill</c> (<c>second</c>): <paramref name="value"/> broadcast to the shape of <paramref name="model"/>.</summary>
    public static Variable fill(Variable model, Variable value) => ApplyScalar(Second.Op, model, value);

    public static Variable zeros_like(Variable x) => fill(x, constant(NDArray.Scalar(0, x.type.dtype)));

    public static Variable ones_like(Variable x) => fill(x, constant(NDArray.Scalar(1, x.type.dtype)));

    public static Variable sum(Variable x, int? axis = null, bool keepdims = false) => sum(x, axis is { } a ? [a] : null, keepdims);
    public static Variable sum(Variable x, int[]? axis, bool keepdims = false) => Reduction("sum", x, axis, keepdims);
    public static Variable prod(Variable x, int? axis = null, bool keepdims = false) => Reduction("prod", x, axis is { } a ? [a] : null, keepdims);
    public static Variable max(Variable x, int? axis = null, bool keepdims = false) => Reduction("max", x, axis is { } a ? [a] : null, keepdims);
    public static Variable min(Variable x, int? axis = null, bool keepdims = false) => Reduction("min", x, axis is { } a ? [a] : null, keepdims);

    /// <summary>The mean, as Theano builds it: the sum divided by the number of elements reduced.</summary>
    public static Variable mean(Variable x, int? axis = null, bool keepdims = false) => mean(x, axis is { } a ? [a] : null, keepdims);

    public static Variable mean(Variable x, int[]? axis, bool keepdims = false)
    {
        var total = sum(x, axis, keepdims);
        var axes = axis?.Select(a => a < 0 ? a + x.ndim : a) ?? Enumerable.Range(0, x.ndim);
        var count = axes.Select(a => shape(x)[a]).ToArray();
        Variable n = count.Length == 0 ? constant(1) : mul(count);
        var dtype = total.type.dtype.IsFloat ? total.type.dtype : DType.Float64;
        return true_div(total, cast(n, dtype));
    }

    private static Variable Reduction(string kind, Variable x, int[]? axis, bool keepdims)
    {
        var op = Reduce.Create(kind, x.ndim, axis);
        var reduced = op.MakeNode(x).outputs[0];
        return keepdims ? KeepDims(reduced, x.ndim, op.Axes) : reduced;
    }

    private static Variable KeepDims(Variable reduced, int ndim, IReadOnlyList<int>? axes)
    {
        var next = 0;
        return reduced.dimshuffle([.. Enumerable.Range(0, ndim).Select(a => axes is null || axes.Contains(a) ? (object)'x' : next++)]);
    }

    public static Variable argmax(Variable x, int? axis = null, bool keepdims = false)
    {
        int? normalized = axis is { } a && a < 0 ? a + x.ndim : axis;
        var result = new Argmax(normalized).MakeNode(x).outputs[0];
        return keepdims ? KeepDims(result, x.ndim, normalized is { } n ? [n] : null) : result;
    }

    public static Variable dot(Variable a, Variable b) => Dot.Op.MakeNode(a, b).outputs[0];
}
