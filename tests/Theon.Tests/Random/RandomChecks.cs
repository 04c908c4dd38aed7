namespace Theon.Tests.Rng;

/// <summary>Statistical checks whose tolerances come from the sample size, so that they can fail.</summary>
internal static class RandomChecks
{
    /// <summary>The sample mean within 5 standard errors of <paramref name="mean"/>, and the sample variance within
    /// 5 standard errors of <paramref name="variance"/> (its standard error from the fourth central moment).</summary>
    public static void Moments(double[] x, double mean, double variance, double fourthMoment)
    {
        var n = x.Length;
        var m = x.Average();
        var v = x.Sum(e => (e - m) * (e - m)) / (n - 1);
        var meanTolerance = 5 * Math.Sqrt(variance / n);
        var varianceTolerance = 5 * Math.Sqrt((fourthMoment - variance * variance) / n);
        Assert.True(Math.Abs(m - mean) < meanTolerance, $"mean {m}, expected {mean} ± {meanTolerance}");
        Assert.True(Math.Abs(v - variance) < varianceTolerance, $"variance {v}, expected {variance} ± {varianceTolerance}");
    }

    /// <summary>The Kolmogorov-Smirnov statistic against the asymptotic critical value at the 0.1% level,
    /// 1.949 / sqrt(n).</summary>
    public static void KolmogorovSmirnov(double[] x, Func<double, double> cdf)
    {
        var sorted = x.OrderBy(v => v).ToArray();
        var n = sorted.Length;
        var d = 0.0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        var critical = 1.949 / Math.Sqrt(n);
        Assert.True(d < critical, $"KS statistic {d} >= critical value {critical} (n = {n})");
    }

    /// <summary>Pearson's chi-square of counts against expected counts, below the 0.1% critical value (Wilson-Hilferty
    /// approximation of the chi-square quantile).</summary>
    public static void ChiSquare(long[] counts, double[] expected)
    {
        var chi = counts.Select((c, i) => (c - expected[i]) * (c - expected[i]) / expected[i]).Sum();
        var k = counts.Length - 1;
        const double z = 3.090; // the standard normal's 0.999 quantile
        var critical = k * Math.Pow(1 - 2.0 / (9 * k) + z * Math.Sqrt(2.0 / (9 * k)), 3);
        Assert.True(chi < critical, $"chi-square {chi} >= critical value {critical} ({k} degrees of freedom)");
    }

    /// <summary>The standard normal CDF through erfc (Numerical Recipes' Chebyshev fit, error below 1.2e-7).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
