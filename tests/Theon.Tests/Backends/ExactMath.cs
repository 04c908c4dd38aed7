namespace Theon.Tests.CpuBackend;

/// <summary>A double-double number Hi + Lo, about 106 significant bits.</summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static implicit operator DoubleDouble(double x) => new(x, 0);

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var (s, e) = TwoSum(a.Hi, b.Hi);
        var (t, f) = TwoSum(a.Lo, b.Lo);
        var sum = FastTwoSum(s, e + t);
        return FastTwoSum(sum.Hi, sum.Lo + f);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = a.Hi * b.Hi;
        return FastTwoSum(p, Math.FusedMultiplyAdd(a.Hi, b.Hi, -p) + (a.Hi * b.Lo + a.Lo * b.Hi));
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        var q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        var q2 = r.Hi / b.Hi;
        r -= b * q2;
        return FastTwoSum(q1, q2) + r.Hi / b.Hi;
    }

    public DoubleDouble ScaleB(int n) => new(Math.ScaleB(Hi, n), Math.ScaleB(Lo, n));

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        var s = a + b;
        var bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble FastTwoSum(double a, double b)
    {
        var s = a + b;
        return new(s, b - (s - a));
    }
}

/// <summary>Value·2^Scale: a double-double kept normal however far the result underflows or overflows.</summary>
internal readonly record struct Exact(DoubleDouble Value, int Scale = 0)
{
    public static implicit operator Exact(double x) => new(x);

    /// <summary>
    /// |actual - this| in units in the last place of this value in float32 (<paramref name="single"/>) or float64,
    /// subnormal spacing included; 0 when both are the same NaN or infinity, infinite when only one is.
    /// </summary>
    public double UlpError(double actual, bool single)
    {
        var rounded = Math.ScaleB(Value.Hi + Value.Lo, Scale);
        if (single) rounded = (float)rounded;
        if (double.IsNaN(rounded) || double.IsNaN(actual))
            return double.IsNaN(rounded) && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        if (double.IsInfinity(rounded) || double.IsInfinity(actual))
            return rounded == actual ? 0 : double.PositiveInfinity;
        var (precision, minExponent) = single ? (24, -126) : (53, -1022);
        var exponent = Value.Hi == 0 ? minExponent : Math.ILogB(Value.Hi);
        // just below a power of two the spacing halves
        if (Value.Hi != 0 && Math.Abs(Value.Hi) == Math.ScaleB(1.0, exponent) && Value.Lo * Value.Hi < 0) exponent--;
        var ulp = Math.ScaleB(1.0, Math.Max(exponent + Scale, minExponent) - precision + 1 - Scale);
        return Math.Abs(Math.ScaleB(actual, -Scale) - Value.Hi - Value.Lo) / ulp;
    }
}

/// <summary>
/// The test oracle: exp, log, log1p, tanh, sigmoid and softplus in double-double, far more precise than float64,
/// with the IEEE results at ±0, infinities and NaN.
/// </summary>
internal static class ExactMath
{
    private static readonly DoubleDouble Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);

    public static Exact Exp(double x)
    {
        if (double.IsNaN(x) || x > 1000) return x * double.PositiveInfinity;
        if (x < -1100) return 0;
        var n = Math.Round(x / Ln2.Hi);
        return new Exact(1 + Expm1((DoubleDouble)x - Ln2 * n), (int)n);
    }

    public static Exact Log(double x) => x switch
    {
        double.NaN or < 0 => double.NaN,
        0 => double.NegativeInfinity,
        double.PositiveInfinity => x,
        _ => new Exact(Log((DoubleDouble)x)),
    };

    public static Exact Log1p(double x) => x switch
    {
        double.NaN or < -1 => double.NaN,
        -1 => double.NegativeInfinity,
        double.PositiveInfinity => x,
        0 => x,
        _ => new Exact(Log1p((DoubleDouble)x)),
    };

    public static Exact Tanh(double x)
    {
        var a = Math.Abs(x);
        if (double.IsNaN(x) || a < 1e-150) return x;   // x³/3 is below a 2^-1000th of x
        DoubleDouble t;
        if (a < 0.5)
        {
            var m = Expm1(2 * a);
            t = m / (m + 2);
        }
        else if (a > 40)
            t = new DoubleDouble(1, -2 * Math.Exp(-2 * a));
        else
            t = 1 - 2 / (Unscaled(Exp(2 * a)) + 1);
        return new Exact(x < 0 ? -t : t);
    }

    public static Exact Sigmoid(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x >= 0) return new Exact(1 / (1 + Unscaled(Exp(-x))));
        var e = Exp(x);
        return new Exact(e.Value / (1 + Unscaled(e)), e.Scale);
    }

    public static Exact Softplus(double x)
    {
        if (double.IsNaN(x) || double.IsPositiveInfinity(x)) return x;
        var e = Exp(-Math.Abs(x));
        var small = Unscaled(e);
        if (x < 0 && small.Hi < 1e-20) return new Exact(e.Value * (1 - small * 0.5), e.Scale);
        var log = Log1p(small);
        return new Exact(x > 0 ? log + x : log);
    }

    // e^x - 1 for |x| ≤ 1: the Taylor series at x / 1024, then (1 + m)² - 1 = m (m + 2) ten times.
    private static DoubleDouble Expm1(DoubleDouble x)
    {
        var s = x.ScaleB(-10);
        DoubleDouble sum = 0, term = 1;
        for (var i = 1; i <= 12; i++)
        {
            term = term * s / i;
            sum += term;
        }
        for (var i = 0; i < 10; i++) sum *= sum + 2;
        return sum;
    }

    // Near 1 the series of Log1p; elsewhere one Newton step from Math.Log: log u = y + log1p(u e^-y - 1).
    private static DoubleDouble Log(DoubleDouble u)
    {
        if (Math.Abs(u.Hi - 1) < 1.0 / 16) return Log1p(u - 1);
        var y = Math.Log(u.Hi);
        var e = Exp(-y);
        var t = u.ScaleB(e.Scale) * e.Value - 1;
        return y + (t - t * t * 0.5);
    }

    // log1p y = 2 atanh(y / (2 + y)), a series in s² ≤ 0.001 for |y| < 1/16; y itself where y²/2 is below its lowest
    // bit (halving a subnormal y would drop one).
    private static DoubleDouble Log1p(DoubleDouble y)
    {
        if (Math.Abs(y.Hi) < 1e-300) return y;
        if (Math.Abs(y.Hi) >= 1.0 / 16) return Log(y + 1);
        var s = y / (y + 2);
        var s2 = s * s;
        DoubleDouble sum = 0, power = s;
        for (var k = 1; k <= 31; k += 2)
        {
            sum += power / k;
            power *= s2;
        }
        return sum.ScaleB(1);
    }

    private static DoubleDouble Unscaled(Exact e) => e.Value.ScaleB(e.Scale);
}
