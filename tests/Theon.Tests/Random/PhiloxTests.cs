using Theon.Ops.Random;

namespace Theon.Tests.Rng;

/// <summary>Philox4x32-10 against Random123's known-answer vectors (tests/kat_vectors, the "philox4x32 10" lines:
/// counter, key, expected output), and the stream layout built on it.</summary>
public class PhiloxTests
{
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint e0, uint e1, uint e2, uint e3) =>
        Assert.Equal((e0, e1, e2, e3), Philox.Block(c0, c1, c2, c3, k0, k1));

    [Fact]
    public void WordsAreBlocksOfTheCounterInOrder()
    {
        var state = new StreamState(0x299f31d0a4093822UL, 0xfffffffffffffffeUL);
        var words = state.Words(12);
        for (var b = 0UL; b < 3; b++)
        {
            var counter = state.Counter + b;
            var (x0, x1, x2, x3) = Philox.Block((uint)counter, (uint)(counter >> 32), 0, 0, 0xa4093822u, 0x299f31d0u);
            Assert.Equal(new[] { x0, x1, x2, x3 }, words[(int)(4 * b)..(int)(4 * b + 4)]);
        }
        var tail = new uint[7];
        state.Words(5, tail);
        Assert.Equal(words[5..], tail);
    }

    [Fact]
    public void AdvanceCountsWholeBlocks()
    {
        var state = new StreamState(7, 10);
        Assert.Equal(10UL, state.Advance(0).Counter);
        Assert.Equal(11UL, state.Advance(1).Counter);
        Assert.Equal(11UL, state.Advance(4).Counter);
        Assert.Equal(12UL, state.Advance(5).Counter);
    }
}
