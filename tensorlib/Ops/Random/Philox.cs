using System.Runtime.CompilerServices;

namespace Theon.Ops.Random;

/// <summary>
/// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as
/// 1, 2, 3" (SC 2011): four 32-bit words, a pure function of a 128-bit counter and a 64-bit key, so any block of
/// the stream is computed without the ones before it. cuRAND and NumPy's <c>Philox</c> use the same function; the
/// known-answer vectors of Random123's <c>kat_vectors</c> check it.
/// </summary>
public static class Philox
{
    public const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    public const int Rounds = 10;

    /// <summary>The four output words of counter (c0, c1, c2, c3) under key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0) (k0, k1) = (k0 + W0, k1 + W1);
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }
}

/// <summary>
/// The state of one random stream, held by a shared int64 vector of two elements: the 64-bit key, and the number
/// of 128-bit blocks already drawn. Draw number <c>w</c> (a 32-bit word) of the next call is word <c>w % 4</c> of
/// block <c>counter + w / 4</c>, the block's counter being (low, high) of that 64-bit number and two zero words.
/// Every backend and every thread computes a word from its index alone, so the numbers do not depend on either.
/// </summary>
public readonly record struct StreamState(ulong Key, ulong Counter)
{
    public static readonly TensorType Type = new(DType.Int64, [false]);

    public static StreamState Read(NDArray state, string what)
    {
        if (state.ndim != 1 || state.size != 2 || state.DType != DType.Int64)
            throw new ArgumentException(
                $"{what}: a random state is an int64 vector of 2 elements (key, counter), got {state.dtype} of shape {NDArray.ShapeString(state.shape)}.");
        var values = state.ToFlatArray<long>();
        return new((ulong)values[0], (ulong)values[1]);
    }

    public NDArray ToArray() => NDArray.FromArray(new[] { (long)Key, (long)Counter });

    /// <summary>The state after drawing <paramref name="words"/> 32-bit words (whole blocks).</summary>
    public StreamState Advance(long words) => this with { Counter = Counter + (ulong)((words + 3) / 4) };

    public (uint, uint, uint, uint) Block(ulong block)
    {
        var counter = Counter + block;
        return Philox.Block((uint)counter, (uint)(counter >> 32), 0, 0, (uint)Key, (uint)(Key >> 32));
    }

    /// <summary>The words <c>[first, first + destination.Length)</c> of the stream.</summary>
    public void Words(long first, Span<uint> destination)
    {
        var i = 0;
        while (i < destination.Length)
        {
            var w = first + i;
            var (a, b, c, d) = Block((ulong)(w / 4));
            for (var k = (int)(w % 4); k < 4 && i < destination.Length; k++, i++)
                destination[i] = k switch { 0 => a, 1 => b, 2 => c, _ => d };
        }
    }

    public uint[] Words(long count)
    {
        var words = new uint[count];
        Words(0, words);
        return words;
    }
}

/// <summary>Conversions of 32-bit words to numbers, shared by every backend's generator.</summary>
public static class RandomBits
{
    /// <summary>[0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Float(uint w) => (w >> 8) * (1f / 16777216f);

    /// <summary>[0, 1) with 53 random bits (numpy's <c>random_standard_uniform</c> from two words).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Double(uint w0, uint w1) => ((w0 >> 5) * 67108864.0 + (w1 >> 6)) * (1.0 / 9007199254740992.0);

    /// <summary>An integer in [0, n) by the high word of <c>w * n</c> (Lemire's multiply, without rejection: the
    /// bias is below n / 2^32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Below(uint w, long n) => (long)(((ulong)w * (ulong)n) >> 32);

    /// <summary>[0, 1) with 32 random bits, for comparisons against probabilities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Unit(uint w) => w * (1.0 / 4294967296.0);
}
