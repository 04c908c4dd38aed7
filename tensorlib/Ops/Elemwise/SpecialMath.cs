using System.Numerics;
using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// The special functions in float64: erf and erfc (series and continued fraction), erfinv (Newton on erf), gamma and
/// log-gamma (Lanczos, g = 7), digamma (recurrence and the asymptotic series). Relative error near 1e-15, except
/// where the value is near zero (gammaln near 1 and 2, psi near its root), where the error is absolute.
/// </summary>
internal static class SpecialMath
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return -Erf(-x);
        return x < 2.5 ? ErfSeries(x) : 1 - ErfcFraction(x);
    }

    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return 2 - Erfc(-x);
        return x < 2 ? 1 - ErfSeries(x) : ErfcFraction(x);
    }

    /// <summary>erf(x) = 2/√π e^(-x²) Σ 2ⁿ x^(2n+1) / (1·3···(2n+1)): positive terms, no cancellation.</summary>
    private static double ErfSeries(double x)
    {
        var (term, total, x2) = (x, x, x * x);
        for (var n = 1; n < 200 && term > total * 1e-17; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            total += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * total;
    }

    /// <summary>erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by the modified Lentz method.</summary>
    private static double ErfcFraction(double x)
    {
        if (double.IsPositiveInfinity(x)) return 0;
        const double tiny = 1e-300;
        var f = x;
        var (c, d) = (x, 0.0);
        for (var n = 1; n < 500; n++)
        {
            var a = n / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>The inverse of erf on (-1, 1): ±inf at ±1, NaN outside.</summary>
    public static double Erfinv(double y)
    {
        if (double.IsNaN(y) || y < -1 || y > 1) return double.NaN;
        if (y == 1) return double.PositiveInfinity;
        if (y == -1) return double.NegativeInfinity;
        if (y < 0) return -Erfinv(-y);
        // a first guess from the logistic-like tail, then Newton steps on erf (or erfc near 1, where erf loses digits)
        var w = -Math.Log((1 - y) * (1 + y));
        var x = w < 5 ? Math.Sqrt(w) * 0.8 + y * 0.1 : Math.Sqrt(w - Math.Log(w)) * 0.95;
        for (var i = 0; i < 100; i++)
        {
            var residual = y < 0.5 ? Erf(x) - y : (1 - y) - Erfc(x);
            var step = residual / (TwoOverSqrtPi * Math.Exp(-x * x));
            // Halley's correction for erf'' = -2x erf'
            var next = x - step / (1 + x * step);
            if (Math.Abs(next - x) <= 1e-16 * Math.Abs(next)) return next;
            x = next;
        }
        return x;
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>(t, A) with Γ(x) = √(2π) t^(x - 1/2) e^(-t) A for x ≥ 1/2, t = x + 6.5.</summary>
    private static (double T, double A) LanczosParts(double x)
    {
        x -= 1;
        var a = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return (x + 7.5, a);
    }

    public static double Gamma(double x)
    {
        if (double.IsNaN(x) || double.IsNegativeInfinity(x)) return double.NaN;
        if (x == Math.Floor(x) && x <= 0) return double.NaN;
        if (x < 0.5) return Math.PI / (Math.Sin(Math.PI * x) * Gamma(1 - x));
        if (x > 171.7) return double.PositiveInfinity;
        if (x == Math.Floor(x) && x <= 23)
        {
            var product = 1.0;
            for (var k = 2; k < x; k++) product *= k;
            return product;
        }
        var (t, a) = LanczosParts(x);
        // t^(x - 1/2) in two halves, so that it does not overflow before e^(-t) brings it down
        var half = Math.Pow(t, (x - 0.5) / 2);
        return Math.Sqrt(2 * Math.PI) * half * (half * Math.Exp(-t)) * a;
    }

    public static double GammaLn(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return double.PositiveInfinity;
        if (x == Math.Floor(x) && x <= 0) return double.PositiveInfinity;
        if (x == 1 || x == 2) return 0;
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - GammaLn(1 - x);
        var (t, a) = LanczosParts(x);
        return 0.5 * Math.Log(2 * Math.PI) + (x - 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    public static double Psi(double x)
    {
        if (double.IsNaN(x) || double.IsNegativeInfinity(x)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return x;
        if (x <= 0 && x == Math.Floor(x)) return double.NaN;
        if (x < 0) return Psi(1 - x) - Math.PI / Math.Tan(Math.PI * x);
        var shift = 0.0;
        while (x < 10)
        {
            shift -= 1 / x;
            x += 1;
        }
        var inv2 = 1 / (x * x);
        // Σ B₂ₖ / (2k x^2k) for k = 1..7
        var series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132
            - inv2 * (691.0 / 32760 - inv2 / 12))))));
        return shift + Math.Log(x) - 0.5 / x - series;
    }
}

/// <summary>A float64 special function applied to T (float32 is computed in float64 and rounded once).</summary>
internal interface ISpecialFunction
{
    static abstract double Of(double x);
}

internal readonly struct SpecialOp<T, TFunction> : IUnaryOp<T, T>
    where T : IFloatingPointIeee754<T> where TFunction : ISpecialFunction
{
    public static T Invoke(T x) => T.CreateTruncating(TFunction.Of(double.CreateTruncating(x)));
}

internal readonly struct ErfFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.Erf(x); }
internal readonly struct ErfcFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.Erfc(x); }
internal readonly struct ErfinvFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.Erfinv(x); }
internal readonly struct GammaFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.Gamma(x); }
internal readonly struct GammaLnFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.GammaLn(x); }
internal readonly struct PsiFunction : ISpecialFunction { public static double Of(double x) => SpecialMath.Psi(x); }
