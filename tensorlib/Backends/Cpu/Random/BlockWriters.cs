using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Theon.Ops.Random;

namespace Theon.Backends.Cpu.Random;

/// <summary>How a draw turns Philox blocks into elements: a fixed number per block, eight blocks at a time in
/// vectors, or one block at a time (the tail, and machines without AVX-512). Both forms compute what the op's
/// <c>Perform</c> computes, bit for bit.</summary>
internal interface IBlockWriter<T> where T : unmanaged
{
    static abstract int ElementsPerBlock { get; }

    /// <summary>The elements of eight blocks, in order: two vectors.</summary>
    (Vector512<T>, Vector512<T>) Write(Vector512<ulong> x0, Vector512<ulong> x1, Vector512<ulong> x2, Vector512<ulong> x3);

    /// <summary>Writes the elements of one block, as many as <paramref name="destination"/> holds.</summary>
    void Write(uint x0, uint x1, uint x2, uint x3, Span<T> destination);
}

/// <summary>float32 uniform: one word per element.</summary>
internal readonly struct UniformSingle(float low, float high) : IBlockWriter<float>
{
    public static int ElementsPerBlock => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector512<float>, Vector512<float>) Write(Vector512<ulong> x0, Vector512<ulong> x1, Vector512<ulong> x2,
        Vector512<ulong> x3) => PhiloxLanes.Interleave(Convert(x0), Convert(x1), Convert(x2), Convert(x3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Convert(Vector512<ulong> x)
    {
        var bits = Vector256.ShiftRightLogical(PhiloxLanes.Low(x), 8).AsInt32();
        var u = Avx.ConvertToVector256Single(bits) * Vector256.Create(1f / 16777216f);
        // Multiply, then add: never fused, as the scalar form is not.
        return Vector256.Create(low) + Vector256.Create(high - low) * u;
    }

    public void Write(uint x0, uint x1, uint x2, uint x3, Span<float> destination)
    {
        ReadOnlySpan<uint> words = [x0, x1, x2, x3];
        for (var k = 0; k < destination.Length; k++) destination[k] = Uniform.Element(words[k], low, high);
    }
}

/// <summary>float64 uniform: two words per element (53 bits).</summary>
internal readonly struct UniformDouble(double low, double high) : IBlockWriter<double>
{
    public static int ElementsPerBlock => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector512<double>, Vector512<double>) Write(Vector512<ulong> x0, Vector512<ulong> x1, Vector512<ulong> x2,
        Vector512<ulong> x3) => PhiloxLanes.Interleave(Convert(x0, x1), Convert(x2, x3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<double> Convert(Vector512<ulong> a, Vector512<ulong> b)
    {
        var mask = Vector512.Create(0xFFFFFFFFUL);
        var bits = Vector512.ShiftLeft(Vector512.ShiftRightLogical(a & mask, 5), 26) | Vector512.ShiftRightLogical(b & mask, 6);
        var u = Avx512DQ.ConvertToVector512Double(bits) * Vector512.Create(1.0 / 9007199254740992.0);
        return Vector512.Create(low) + Vector512.Create(high - low) * u;
    }

    public void Write(uint x0, uint x1, uint x2, uint x3, Span<double> destination)
    {
        destination[0] = Uniform.Element(x0, x1, low, high);
        if (destination.Length > 1) destination[1] = Uniform.Element(x2, x3, low, high);
    }
}

/// <summary>float32 Bernoulli (binomial with n = 1): 1 where the word is below p * 2^32.</summary>
internal readonly struct BernoulliSingle(double p) : IBlockWriter<float>
{
    // w / 2^32 < p exactly when w < ceil(p * 2^32) (p * 2^32 is exact in float64).
    private readonly ulong threshold = (ulong)Math.Ceiling(p * 4294967296.0);

    public static int ElementsPerBlock => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector512<float>, Vector512<float>) Write(Vector512<ulong> x0, Vector512<ulong> x1, Vector512<ulong> x2,
        Vector512<ulong> x3) => PhiloxLanes.Interleave(Convert(x0), Convert(x1), Convert(x2), Convert(x3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Convert(Vector512<ulong> x)
    {
        var below = Vector512.LessThan(x & Vector512.Create(0xFFFFFFFFUL), Vector512.Create(threshold));
        return (PhiloxLanes.Low(below) & Vector256.Create(1f).AsUInt32()).AsSingle();
    }

    public void Write(uint x0, uint x1, uint x2, uint x3, Span<float> destination)
    {
        ReadOnlySpan<uint> words = [x0, x1, x2, x3];
        for (var k = 0; k < destination.Length; k++) destination[k] = Binomial.Success(words[k], p) ? 1f : 0f;
    }
}
