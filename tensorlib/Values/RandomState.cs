#pragma warning disable CS8981 // numpy's lower-case names are the public contract
using Theon.Values;
using Theon.Values.Random;

namespace Theon;

/// <summary>
/// numpy's legacy RandomState, bit for bit: the same seed gives the same numbers as numpy on every platform.
/// </summary>
public sealed class RandomState
{
    private readonly MersenneTwister _twister = new(5489u);
    private double _gauss;
    private bool _hasGauss;

    public RandomState(long seed) => this.seed(seed);

    public RandomState(uint[] seed) => this.seed(seed);

    /// <summary>Reseeds with an integer in [0, 2**32 - 1] (numpy's init_genrand) and drops the cached normal.</summary>
    public void seed(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "Seed must be between 0 and 2**32 - 1");
        _twister.Seed((uint)seed);
        _hasGauss = false;
        _gauss = 0;
    }

    /// <summary>Reseeds with an array of 32-bit words (numpy's init_by_array).</summary>
    public void seed(uint[] seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _twister.Seed(seed);
        _hasGauss = false;
        _gauss = 0;
    }

    /// <summary>Uniform float64 samples in [0, 1).</summary>
    public NDArray random_sample(params int[] size) => Fill(size, _twister.NextDouble);

    public NDArray rand(params int[] size) => random_sample(size);

    public NDArray standard_normal(params int[] size) => Fill(size, Gauss);

    public NDArray randn(params int[] size) => standard_normal(size);

    public NDArray normal(double loc, double scale, params int[] size)
    {
        if (scale < 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale < 0");
        return Fill(size, () => loc + scale * Gauss());
    }

    public NDArray uniform(double low, double high, params int[] size)
    {
        var range = high - low;
        if (!double.IsFinite(range))
            throw new ArgumentOutOfRangeException(nameof(high), "Range exceeds valid bounds");
        return Fill(size, () => low + range * _twister.NextDouble());
    }

    /// <summary>int64 samples in [low, high), by numpy's masked rejection sampling.</summary>
    public NDArray randint(long low, long high, params int[] size)
    {
        if (low >= high)
            throw new ArgumentOutOfRangeException(nameof(high), $"low >= high (low={low}, high={high})");
        var shape = Shape(size);
        var values = new long[Shapes.Size(shape)];
        var range = (ulong)(high - 1 - low);
        for (var i = 0; i < values.Length; i++)
            values[i] = low + (long)Interval(range);
        return NDArray.Wrap(values, shape);
    }

    /// <summary>A shuffled arange(n), int64.</summary>
    public NDArray permutation(int n)
    {
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "permutation needs n >= 0");
        var values = NDArray.Wrap(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), n);
        shuffle(values);
        return values;
    }

    /// <summary>A shuffled copy of <paramref name="x"/> along its first axis.</summary>
    public NDArray permutation(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var copy = x.Copy();
        shuffle(copy);
        return copy;
    }

    /// <summary>
    /// Shuffles <paramref name="x"/> in place along its first axis (Fisher-Yates from the end, as numpy).
    /// </summary>
    public void shuffle(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.ndim == 0)
            throw new ArgumentException(
                "shuffle needs an array with at least one dimension, got a 0-d array", nameof(x));
        var n = x.Dims[0];
        var buffer = n > 0 ? x[0].Copy() : null;
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)Interval((ulong)i);
            if (i == j)
                continue;
            buffer!.CopyFrom(x[j]);
            x[j].CopyFrom(x[i]);
            x[i].CopyFrom(buffer);
        }
    }

    private double Gauss()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            return _gauss;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * _twister.NextDouble() - 1.0;
            x2 = 2.0 * _twister.NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>
    /// A uniform value in [0, max]: draw 32 bits (64 when max needs them), mask to the next power of two, reject
    /// values above max. This is numpy's random_interval and its masked bounded-integer sampler alike.
    /// </summary>
    private ulong Interval(ulong max)
    {
        if (max == 0)
            return 0;
        var mask = Mask(max);
        ulong value;
        if (max <= uint.MaxValue)
        {
            do
                value = _twister.NextUInt32() & mask;
            while (value > max);
        }
        else
        {
            do
                value = _twister.NextUInt64() & mask;
            while (value > max);
        }
        return value;
    }

    private static ulong Mask(ulong max)
    {
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }

    private static int[] Shape(int[]? size)
    {
        var shape = size is null ? [] : (int[])size.Clone();
        Shapes.Validate(shape, nameof(size));
        return shape;
    }

    private static NDArray Fill(int[]? size, Func<double> next)
    {
        var shape = Shape(size);
        var values = new double[Shapes.Size(shape)];
        for (var i = 0; i < values.Length; i++)
            values[i] = next();
        return NDArray.Wrap(values, shape);
    }
}
