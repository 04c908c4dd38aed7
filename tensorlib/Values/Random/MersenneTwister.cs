namespace Theon.Values.Random;

/// <summary>
/// MT19937 exactly as numpy's legacy RandomState drives it (init_genrand, init_by_array, genrand_int32).
/// </summary>
internal sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _key = new uint[N];
    private int _position;

    public MersenneTwister(uint seed) => Seed(seed);

    /// <summary>init_genrand, numpy's mt19937_seed for an integer seed.</summary>
    public void Seed(uint seed)
    {
        for (var i = 0; i < N; i++)
        {
            _key[i] = seed;
            seed = 1812433253u * (seed ^ (seed >> 30)) + (uint)i + 1;
        }
        _position = N;
    }

    /// <summary>init_by_array, numpy's seeding for an array of 32-bit words.</summary>
    public void Seed(ReadOnlySpan<uint> initKey)
    {
        if (initKey.IsEmpty)
            throw new ArgumentException("the seed array must not be empty", nameof(initKey));
        Seed(19650218u);
        var mt = _key;
        int i = 1, j = 0;
        for (var k = Math.Max(N, initKey.Length); k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + initKey[j] + (uint)j;
            i++;
            j++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= initKey.Length)
                j = 0;
        }
        for (var k = N - 1; k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000u;
        _position = N;
    }

    public uint NextUInt32()
    {
        if (_position == N)
            Generate();
        var y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return high << 32 | NextUInt32();
    }

    /// <summary>A double in [0, 1) with 53 random bits, from two draws (a &gt;&gt; 5, b &gt;&gt; 6).</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void Generate()
    {
        int i;
        uint y;
        for (i = 0; i < N - M; i++)
        {
            y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + M] ^ (y >> 1) ^ Twist(y);
        }
        for (; i < N - 1; i++)
        {
            y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + (M - N)] ^ (y >> 1) ^ Twist(y);
        }
        y = (_key[N - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[N - 1] = _key[M - 1] ^ (y >> 1) ^ Twist(y);
        _position = 0;
    }

    private static uint Twist(uint y) => (y & 1) == 0 ? 0 : MatrixA;
}
