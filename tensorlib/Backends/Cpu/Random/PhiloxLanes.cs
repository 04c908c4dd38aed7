using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Theon.Ops.Random;

namespace Theon.Backends.Cpu.Random;

/// <summary>
/// Philox4x32-10 on eight consecutive blocks at once (AVX-512): each 32-bit word of the eight counters sits in the
/// low half of a 64-bit lane, so one <c>vpmuludq</c> gives eight full 32 x 32 -> 64-bit products. The high halves of
/// the lanes collect garbage that never reaches a low half (the multiply reads only low halves, xor is bitwise),
/// so no masking is needed until the words are narrowed.
/// </summary>
internal static class PhiloxLanes
{
    public static bool IsSupported => Avx512F.IsSupported && Avx512DQ.IsSupported;

    private static readonly Vector512<ulong> Iota = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>The words of blocks <c>counter .. counter + 7</c> of the stream with key <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<ulong>, Vector512<ulong>, Vector512<ulong>, Vector512<ulong>) Blocks(ulong key, ulong counter)
    {
        var (a, _) = Blocks16(key, counter);
        return a;
    }

    /// <summary>Blocks <c>counter .. counter + 15</c> as two groups of eight, computed interleaved so that one
    /// group's multiplies run while the other's wait.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ((Vector512<ulong>, Vector512<ulong>, Vector512<ulong>, Vector512<ulong>),
        (Vector512<ulong>, Vector512<ulong>, Vector512<ulong>, Vector512<ulong>)) Blocks16(ulong key, ulong counter)
    {
        var a0 = Vector512.Create(counter) + Iota;
        var b0 = a0 + Vector512.Create(8UL);
        var (a1, b1) = (Vector512.ShiftRightLogical(a0, 32), Vector512.ShiftRightLogical(b0, 32));
        var (a2, a3, b2, b3) = (Vector512<ulong>.Zero, Vector512<ulong>.Zero, Vector512<ulong>.Zero, Vector512<ulong>.Zero);
        // The keys' high halves may carry: harmless, only low halves are read.
        var k0 = Vector512.Create(key & 0xFFFFFFFF);
        var k1 = Vector512.Create(key >> 32);
        var (w0, w1) = (Vector512.Create((ulong)Philox.W0), Vector512.Create((ulong)Philox.W1));
        // Philox.Rounds (ten) rounds written out, so that the JIT keeps every value in a register.
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0, k1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        Round(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 += w0, k1 += w1);
        return ((a0, a1, a2, a3), (b0, b1, b2, b3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector512<ulong> a0, ref Vector512<ulong> a1, ref Vector512<ulong> a2,
        ref Vector512<ulong> a3, ref Vector512<ulong> b0, ref Vector512<ulong> b1, ref Vector512<ulong> b2,
        ref Vector512<ulong> b3, Vector512<ulong> k0, Vector512<ulong> k1)
    {
        var m0 = Vector512.Create((ulong)Philox.M0).AsUInt32();
        var m1 = Vector512.Create((ulong)Philox.M1).AsUInt32();
        var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0);
        var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0);
        var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
        var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
        a0 = Vector512.ShiftRightLogical(pa1, 32) ^ a1 ^ k0;
        a2 = Vector512.ShiftRightLogical(pa0, 32) ^ a3 ^ k1;
        (a1, a3) = (pa1, pa0);
        b0 = Vector512.ShiftRightLogical(pb1, 32) ^ b1 ^ k0;
        b2 = Vector512.ShiftRightLogical(pb0, 32) ^ b3 ^ k1;
        (b1, b3) = (pb1, pb0);
    }

    /// <summary>The low 32 bits of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Low(Vector512<ulong> x) => Avx512F.ConvertToVector256UInt32(x);

    // Lane 4l + k of a store of blocks 0..3 (then 4..7) is word k of block l: a 4 x 8 transpose of (w0 w1 | w2 w3).
    private static readonly Vector512<int> FirstHalf =
        Vector512.Create(0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27);

    private static readonly Vector512<int> SecondHalf =
        Vector512.Create(4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31);

    /// <summary>32 floats, word k of block l at <c>4 l + k</c>: a 4 x 8 transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float>, Vector512<float>) Interleave(Vector256<float> w0, Vector256<float> w1,
        Vector256<float> w2, Vector256<float> w3)
    {
        var a = Vector512.Create(w0, w1);
        var b = Vector512.Create(w2, w3);
        return (Avx512F.PermuteVar16x32x2(a, FirstHalf, b), Avx512F.PermuteVar16x32x2(a, SecondHalf, b));
    }

    private static readonly Vector512<long> PairsFirst = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
    private static readonly Vector512<long> PairsSecond = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);

    /// <summary>16 doubles, element e of block l at <c>2 l + e</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double>, Vector512<double>) Interleave(Vector512<double> e0, Vector512<double> e1) =>
        (Avx512F.PermuteVar8x64x2(e0, PairsFirst, e1), Avx512F.PermuteVar8x64x2(e0, PairsSecond, e1));
}
