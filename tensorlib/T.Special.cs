using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>The error function, 2/√π ∫₀ˣ e^(-t²) dt.</summary>
    public static Variable erf(Variable a) => ApplyScalar(Erf.Op, a);

    /// <summary>The complementary error function, 1 - erf(x), accurate where erf(x) is near 1.</summary>
    public static Variable erfc(Variable a) => ApplyScalar(Erfc.Op, a);

    /// <summary>The inverse error function on [-1, 1] (±inf at ±1, NaN outside).</summary>
    public static Variable erfinv(Variable a) => ApplyScalar(Erfinv.Op, a);

    /// <summary>The gamma function, Γ(n) = (n - 1)!.</summary>
    public static Variable gamma(Variable a) => ApplyScalar(Gamma.Op, a);

    /// <summary>log |Γ(x)|.</summary>
    public static Variable gammaln(Variable a) => ApplyScalar(GammaLn.Op, a);

    /// <summary>The digamma function, d/dx log Γ(x).</summary>
    public static Variable psi(Variable a) => ApplyScalar(Psi.Op, a);

    /// <summary>
    /// Theano's <c>isclose</c> (numpy's): |a - b| ≤ atol + rtol |b| elementwise, infinities equal when they have the
    /// same sign, NaN equal to NaN only with <paramref name="equal_nan"/>.
    /// </summary>
    public static Variable isclose(Variable a, Variable b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false)
    {
        var dtype = DType.Upcast(a.type.dtype, b.type.dtype);
        var floating = dtype.IsFloat ? dtype : DType.Float64;
        var (x, y) = (cast(a, floating), cast(b, floating));
        Variable Literal(double v) => constant(NDArray.Scalar(v, floating));
        var close = le(abs(x - y), Literal(atol) + Literal(rtol) * abs(y));
        var bothInfinite = and_(and_(isinf(x), isinf(y)), eq(x, y));
        var finiteClose = and_(close, and_(invert(isinf(x)), invert(isinf(y))));
        var result = or_(finiteClose, bothInfinite);
        return equal_nan ? or_(result, and_(isnan(x), isnan(y))) : result;
    }

    /// <summary>Theano's <c>allclose</c>: whether <see cref="isclose"/> holds everywhere (a bool scalar).</summary>
    public static Variable allclose(Variable a, Variable b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) =>
        all(isclose(a, b, rtol, atol, equal_nan));
}
