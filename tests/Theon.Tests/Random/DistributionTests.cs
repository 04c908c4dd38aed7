using Theon.Ops.Random;
using static Theon.T;

namespace Theon.Tests.Rng;

/// <summary>Each distribution with a fixed seed: moments and the Kolmogorov-Smirnov statistic (or chi-square for
/// discrete ones) against tolerances from the sample size, and the numbers against a direct loop over Philox.</summary>
public class DistributionTests
{
    private const int N = 200_000;

    private static double[] Draw(Variable v) =>
        function([], v, backend: "reference")().ToFlatArray<double>();

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void UniformHasMomentsAndDistribution(string dtype)
    {
        var x = Draw(new RandomStreams(11).uniform(N, -1.0, 3.0, dtype: dtype));
        Assert.All(x, v => Assert.InRange(v, -1.0, 3.0));
        RandomChecks.Moments(x, 1.0, 16.0 / 12, 256.0 / 80);
        RandomChecks.KolmogorovSmirnov(x, v => (v + 1) / 4);
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void NormalHasMomentsAndDistribution(string dtype)
    {
        var x = Draw(new RandomStreams(12).normal(N, 2.0, 0.5, dtype: dtype));
        RandomChecks.Moments(x, 2.0, 0.25, 3 * 0.0625);
        RandomChecks.KolmogorovSmirnov(x, v => RandomChecks.NormalCdf((v - 2) / 0.5));
    }

    [Fact]
    public void NormalIsNotTheUniformInDisguise()
    {
        // A Box-Muller pair is independent: the correlation of elements 2m and 2m + 1 is within 5 standard errors of 0.
        var x = Draw(new RandomStreams(13).normal(N));
        var pairs = Enumerable.Range(0, N / 2).Select(m => x[2 * m] * x[2 * m + 1]).ToArray();
        Assert.True(Math.Abs(pairs.Average()) < 5 / Math.Sqrt(N / 2.0), $"pair correlation {pairs.Average()}");
    }

    [Fact]
    public void BinomialMatchesMomentsAndFrequencies()
    {
        var x = Draw(new RandomStreams(14).binomial(N, n: 5, p: 0.3));
        var counts = new long[6];
        foreach (var v in x) counts[(int)v]++;
        var expected = Enumerable.Range(0, 6).Select(k => N * Choose(5, k) * Math.Pow(0.3, k) * Math.Pow(0.7, 5 - k)).ToArray();
        RandomChecks.ChiSquare(counts, expected);
        RandomChecks.Moments(x, 1.5, 1.05, 1.05 * (1 + 3 * 3 * 0.21)); // npq (1 + 3 (n - 2) pq)
    }

    [Fact]
    public void BernoulliMaskHasTheRequestedRate()
    {
        var mask = new RandomStreams(15).binomial((400, 500), p: 0.8, dtype: "float32");
        Assert.Equal("float32", mask.dtype);
        var x = Draw(mask);
        Assert.All(x, v => Assert.True(v is 0 or 1));
        RandomChecks.Moments(x, 0.8, 0.16, 0.8 * 0.2 * (1 - 3 * 0.16));
    }

    [Fact]
    public void ChoiceWithReplacementIsUniform()
    {
        var x = Draw(new RandomStreams(16).choice(N, a: 7));
        var counts = new long[7];
        foreach (var v in x) counts[(int)v]++;
        RandomChecks.ChiSquare(counts, [.. Enumerable.Repeat(N / 7.0, 7)]);
    }

    [Fact]
    public void ChoiceWithProbabilitiesFollowsThem()
    {
        var p = new[] { 0.1, 0.0, 0.6, 0.3 };
        var x = Draw(new RandomStreams(17).choice(N, a: 4, p: constant(NDArray.FromArray(p))));
        var counts = new long[4];
        foreach (var v in x) counts[(int)v]++;
        Assert.Equal(0, counts[1]);
        RandomChecks.ChiSquare([counts[0], counts[2], counts[3]], [N * 0.1, N * 0.6, N * 0.3]);
    }

    [Fact]
    public void ChoiceWithoutReplacementGivesDistinctElements()
    {
        var population = constant(NDArray.FromArray(new[] { 10.0, 20, 30, 40, 50, 60 }));
        var x = Draw(new RandomStreams(18).choice((2, 3), a: population, replace: false, dtype: "float64"));
        Assert.Equal(new[] { 10.0, 20, 30, 40, 50, 60 }, x.Order());
        var weighted = Draw(new RandomStreams(19).choice(3, a: 5, replace: false,
            p: constant(NDArray.FromArray(new[] { 0.2, 0.2, 0.0, 0.3, 0.3 }))));
        Assert.Equal(3, weighted.Distinct().Count());
        Assert.DoesNotContain(2.0, weighted);
    }

    [Fact]
    public void PermutationRowsArePermutationsWithUniformPositions()
    {
        var v = new RandomStreams(20).permutation(20_000, n: 5);
        Assert.Equal(2, v.ndim);
        var rows = function([], v, backend: "reference")();
        Assert.Equal(new[] { 20_000, 5 }, rows.shape);
        var flat = rows.ToFlatArray<long>();
        var firstPosition = new long[5];
        for (var r = 0; r < 20_000; r++)
        {
            Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, flat[(5 * r)..(5 * r + 5)].Order());
            firstPosition[flat[5 * r]]++;
        }
        RandomChecks.ChiSquare(firstPosition, [.. Enumerable.Repeat(4000.0, 5)]);
    }

    [Fact]
    public void UniformIsTheDocumentedFunctionOfPhilox()
    {
        // An independent loop: element i of a float32 draw is word i; of a float64 draw, words 2i and 2i + 1.
        var srng = new RandomStreams(21);
        var (single, dbl) = (srng.uniform(10, dtype: "float32"), srng.uniform(6, 2.0, 5.0, dtype: "float64"));
        var f = function([], [single, dbl], backend: "reference");
        var (a, b) = f();
        var states = srng.state_updates.Select(u => StreamState.Read(u.Item1.get_value(), "state")).ToArray();
        Assert.Equal([3UL, 3UL], states.Select(s => s.Counter));
        var expectedA = Words(states[0].Key, 0, 10).Select(w => (double)((w >> 8) / 16777216f)).ToArray();
        Assert.Equal(expectedA, a.ToFlatArray<double>());
        var w64 = Words(states[1].Key, 0, 12);
        var expectedB = Enumerable.Range(0, 6)
            .Select(i => 2.0 + 3.0 * (((w64[2 * i] >> 5) * 67108864.0 + (w64[2 * i + 1] >> 6)) / 9007199254740992.0)).ToArray();
        Assert.Equal(expectedB, b.ToFlatArray<double>());
    }

    private static uint[] Words(ulong key, ulong counter, int count)
    {
        var words = new uint[(count + 3) / 4 * 4];
        for (var b = 0; b < words.Length / 4; b++)
        {
            var c = counter + (ulong)b;
            var (x0, x1, x2, x3) = Philox.Block((uint)c, (uint)(c >> 32), 0, 0, (uint)key, (uint)(key >> 32));
            (words[4 * b], words[4 * b + 1], words[4 * b + 2], words[4 * b + 3]) = (x0, x1, x2, x3);
        }
        return words[..count];
    }

    private static double Choose(int n, int k) =>
        Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
}
