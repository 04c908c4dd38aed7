using System.Text.Json;

namespace Theon.Tests.Values;

public class RandomTests
{
    private static IEnumerable<JsonElement> Cases(string call) =>
        Fixtures.Values.GetProperty("random").EnumerateArray().Where(c => c.GetProperty("call").GetString() == call);

    private static RandomState Seeded(JsonElement c) => new(c.GetProperty("seed").GetInt64());

    [Fact]
    public void RandAndStandardNormalMatchNumpyBitForBit()
    {
        foreach (var c in Cases("rand"))
            Assert.Equal(Fixtures.Doubles(c.GetProperty("values")),
                Seeded(c).rand(Fixtures.Ints(c.GetProperty("size"))).ToFlatArray<double>());
        foreach (var c in Cases("standard_normal"))
            Assert.Equal(Fixtures.Doubles(c.GetProperty("values")),
                Seeded(c).standard_normal(Fixtures.Ints(c.GetProperty("size"))).ToFlatArray<double>());
    }

    [Fact]
    public void RandintUsesNumpysMaskedRejection()
    {
        foreach (var c in Cases("randint"))
        {
            var values = Seeded(c).randint(c.GetProperty("low").GetInt64(), c.GetProperty("high").GetInt64(),
                Fixtures.Ints(c.GetProperty("size")));
            Assert.Equal("int64", values.dtype);
            Assert.Equal(Fixtures.Longs(c.GetProperty("values")), values.ToFlatArray<long>());
        }
    }

    [Fact]
    public void UniformNormalPermutationAndShuffleMatchNumpy()
    {
        var u = Cases("uniform").Single();
        var uniform = Seeded(u).uniform(u.GetProperty("low").GetDouble(), u.GetProperty("high").GetDouble(), 2, 3);
        Assert.Equal(Fixtures.Doubles(u.GetProperty("values")), uniform.ToFlatArray<double>());

        var n = Cases("normal").Single();
        Assert.Equal(Fixtures.Doubles(n.GetProperty("values")), Seeded(n).normal(2.0, 0.5, 3).ToFlatArray<double>());

        var p = Cases("permutation").Single();
        Assert.Equal(Fixtures.Longs(p.GetProperty("values")), Seeded(p).permutation(10).ToFlatArray<long>());

        var s = Cases("shuffle2d").Single();
        var m = np.arange(12).reshape(4, 3);
        Seeded(s).shuffle(m);
        Assert.Equal(Fixtures.Longs(s.GetProperty("values")), m.ToFlatArray<long>());
    }

    [Fact]
    public void CachedGaussianSurvivesOtherDraws()
    {
        var c = Cases("sequence").Single();
        var rs = Seeded(c);
        var drawn = rs.standard_normal(3).ToFlatArray<double>()
            .Concat(rs.rand(2).ToFlatArray<double>())
            .Concat(rs.standard_normal(2).ToFlatArray<double>());
        Assert.Equal(Fixtures.Doubles(c.GetProperty("values")), drawn);
    }

    [Fact]
    public void MersenneTwisterReferenceOutputs()
    {
        var c = Cases("uint32").Single();
        var values = Seeded(c).randint(0, 1L << 32, 3);
        Assert.Equal(new long[] { 3499211612, 581869302, 3890346734 }, values.ToFlatArray<long>());
        Assert.Equal(Fixtures.Longs(c.GetProperty("values")), values.ToFlatArray<long>());
    }

    [Fact]
    public void ArraySeedsUseInitByArray()
    {
        var cases = Cases("seed_array").ToArray();
        Assert.Equal(2, cases.Length);
        foreach (var c in cases)
        {
            var key = c.GetProperty("seed").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
            var rs = new RandomState(key);
            var drawn = key.Length == 3 ? rs.rand(3) : rs.standard_normal(3);
            Assert.Equal(Fixtures.Doubles(c.GetProperty("values")), drawn.ToFlatArray<double>());
        }
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => np.random.RandomState(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => np.random.RandomState(1L << 32));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomState(0).randint(5, 5, 2));
        Assert.Contains("low >= high", e.Message);
        Assert.Throws<ArgumentException>(() => new RandomState(0).rand(-1));
    }
}
