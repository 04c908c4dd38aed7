namespace Theon.Tests.Values;

public class ReprTests
{
    public static TheoryData<string> Cases() =>
        new(Fixtures.Values.GetProperty("repr").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReprMatchesNumpy(string name)
    {
        var fixture = Fixtures.Values.GetProperty("repr").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name);
        Assert.Equal(fixture.GetProperty("repr").GetString(), Fixtures.Array(fixture).ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StrMatchesNumpy(string name)
    {
        var fixture = Fixtures.Values.GetProperty("repr").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name);
        Assert.Equal(fixture.GetProperty("str").GetString(), Fixtures.Array(fixture).ToString("s"));
    }

    [Fact]
    public void UnknownFormatIsRefused() => Assert.Throws<FormatException>(() => np.zeros(2).ToString("g"));

    [Fact]
    public void StridedViewsPrintTheirLogicalOrder()
    {
        NDArray a = new[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Assert.Equal("array([[1, 4],\n       [2, 5],\n       [3, 6]], dtype=int32)", a.T.ToString());
    }
}
