using Theon.Ops;
using System.Runtime.Intrinsics;
using Theon.Backends.Cpu.Fusion;
using static Theon.T;

namespace Theon.Tests.CpuBackend;

/// <summary>
/// The vector functions of fused loops (<see cref="VectorMath{TV, TOps}"/>) against the double-double oracle
/// <see cref="ExactMath"/>, for each vector width the machine accelerates: the largest error in ulps over every
/// 1999th bit pattern of float32 (both signs, subnormals to the largest finite), evenly strided float64 bit patterns,
/// random points where the functions bend, and thresholds (overflow, the subnormal range, the cut-overs between
/// formulas). The bounds are the measured maxima, rounded up.
/// </summary>
public class VectorMathTests
{
    public enum Function
    {
        Exp,
        Log,
        Log1p,
        Tanh,
        Sigmoid,
        Softplus,
    }

    private static readonly float[] Float32Thresholds =
    [
        88.72283f, 88.722839f, 88.72284f, 89f, -87.33654f, -87.33655f, -100f, -103.27893f, -103.972076f,
        -103.97208f, -104f, -105f, 1e-45f, -1e-45f, 1.1754942e-38f, 1.1754944e-38f, 1e-30f, -1e-30f, 5.9604645e-8f,
        -5.9604645e-8f, 1e-7f, -0.99999994f, 0.62499994f, 0.625f, -0.625f, 9.01f, 19.99f, 20f, 3.3e38f,
        float.MaxValue, float.Epsilon, 1f, -1f, 0.5f,
    ];

    private static readonly double[] Float64Thresholds =
    [
        709.782712893384, 709.7827128933841, 710, -708.3964185322641, -708.39641853226422, -745.1332191019411,
        -745.13321910194122, -744, -746, 5e-324, -5e-324, 2.2250738585072014E-308, 2.2250738585072009E-308, 1e-300,
        -1e-300, 1.1102230246251565E-16, -1.1102230246251565E-16, 1e-15, -0.99999999999999989, 0.62499999999999989,
        0.625, -0.625, 19.99, 20, 1.7e308, double.MaxValue, double.Epsilon, 1, -1, 0.5,
    ];

    [Theory]
    [InlineData(Function.Exp, 1.25)]
    [InlineData(Function.Log, 0.75)]
    [InlineData(Function.Log1p, 1.35)]
    [InlineData(Function.Tanh, 1.3)]
    [InlineData(Function.Sigmoid, 2.35)]
    [InlineData(Function.Softplus, 1.9)]
    public void Float32ErrorIsWithinTheBound(Function function, double bound)
    {
        var rng = new Random(97);
        var x = StridedFloat32(1999)
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (float)(rng.NextDouble() * 60 - 30)))
            .Concat(Float32Thresholds).ToArray();
        var exact = x.Select(v => Reference(function, v)).ToArray();
        foreach (var (width, f) in Implementations<float>(function))
            AssertWithin(bound, exact, x.Select(v => (double)v).ToArray(), [.. f(x).Select(v => (double)v)], true,
                $"{function} float32 {width}");
    }

    [Theory]
    [InlineData(Function.Exp, 0.85)]
    [InlineData(Function.Log, 0.75)]
    [InlineData(Function.Log1p, 0.8)]
    [InlineData(Function.Tanh, 1.2)]
    [InlineData(Function.Sigmoid, 2.15)]
    [InlineData(Function.Softplus, 1.6)]
    public void Float64ErrorIsWithinTheBound(Function function, double bound)
    {
        var rng = new Random(97);
        var x = StridedFloat64(400_000)
            .Concat(Enumerable.Range(0, 200_000).Select(_ => rng.NextDouble() * 60 - 30))
            .Concat(Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble() * 1500 - 750))
            .Concat(Float64Thresholds).ToArray();
        var exact = x.Select(v => Reference(function, v)).ToArray();
        foreach (var (width, f) in Implementations<double>(function))
            AssertWithin(bound, exact, x, f(x), false, $"{function} float64 {width}");
    }

    [Theory]
    [InlineData(Function.Exp, new[] { 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN },
        new[] { 1, 1, double.PositiveInfinity, 0, double.NaN })]
    [InlineData(Function.Log, new[] { 1, 0, -0.0, -1, double.PositiveInfinity, double.NegativeInfinity, double.NaN },
        new[] { 0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.PositiveInfinity, double.NaN,
            double.NaN })]
    [InlineData(Function.Log1p, new[] { 0, -0.0, -1, -2, double.PositiveInfinity, double.NegativeInfinity,
            double.NaN },
        new[] { 0, -0.0, double.NegativeInfinity, double.NaN, double.PositiveInfinity, double.NaN, double.NaN })]
    [InlineData(Function.Tanh, new[] { 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN },
        new[] { 0, -0.0, 1, -1, double.NaN })]
    [InlineData(Function.Sigmoid, new[] { 0, double.PositiveInfinity, double.NegativeInfinity, double.NaN },
        new[] { 0.5, 1, 0, double.NaN })]
    [InlineData(Function.Softplus, new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN },
        new[] { double.PositiveInfinity, 0, double.NaN })]
    public void SpecialValuesAreExact(Function function, double[] x, double[] expected)
    {
        foreach (var (width, f) in Implementations<double>(function))
            AssertSame(expected, x, f(x), $"{function} float64 {width}");
        foreach (var (width, f) in Implementations<float>(function))
            AssertSame(expected, x, [.. f([.. x.Select(v => (float)v)]).Select(v => (double)v)],
                $"{function} float32 {width}");
    }

    [Fact]
    public void TheOracleAgreesWithTheRuntimeWithinHalfAnUlpAndABit()
    {
        var rng = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            var x = rng.NextDouble() * 1400 - 700;
            Assert.True(ExactMath.Exp(x).UlpError(Math.Exp(x), false) < 0.52, $"exp({x:R})");
            var y = Math.Exp(x);
            Assert.True(ExactMath.Log(y).UlpError(Math.Log(y), false) < 0.52, $"log({y:R})");
        }
    }

    [Theory]
    [InlineData("float32", 1e-4, 1e-5)]
    [InlineData("float64", 1e-9, 1e-12)]
    public void FusedLoopsOfTheFunctionsMatchTheReferenceBackend(string dtype, double rtol, double atol)
    {
        var x = tensor(dtype, [false], "x");
        var y = tensor(dtype, [false], "y");
        Variable[] outputs =
        [
            tanh(x) * softplus(y),
            sigmoid(x) - exp(-abs(y)) * log(abs(x) + 0.5) + log1p(abs(y)),
        ];
        var state = np.random.RandomState(11);
        object[] args = [state.uniform(-30, 30, [1003]).astype(dtype), state.uniform(-30, 30, [1003]).astype(dtype)];
        var cpu = function([x, y], outputs, backend: "cpu");
        var composites = CompiledFunction.Of(cpu).Schedule.Select(n => n.op).OfType<Composite>().ToList();
        Assert.NotEmpty(composites);
        Assert.All(composites, c => Assert.True(LoopCode.Vectorizes(c.Body), $"{c.Body} runs the scalar loop"));
        var expected = function([x, y], outputs, backend: "reference")(args);
        var actual = cpu(args);
        for (var o = 0; o < outputs.Length; o++)
        {
            var (e, a) = (expected[o].ToFlatArray<double>(), actual[o].ToFlatArray<double>());
            for (var i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= rtol * Math.Abs(e[i]) + atol,
                    $"output {o}, element {i}: reference {e[i]:R}, cpu {a[i]:R}");
        }
    }

    private static void AssertWithin(double bound, Exact[] exact, double[] x, double[] actual, bool single,
        string what)
    {
        var (worst, at) = (0.0, 0);
        for (var i = 0; i < x.Length; i++)
        {
            var error = exact[i].UlpError(actual[i], single);
            if (error > worst) (worst, at) = (error, i);
        }
        Assert.True(worst <= bound, $"{what}: {worst:F3} ulps at x = {x[at]:R} (bound {bound})");
    }

    private static Exact Reference(Function function, double x) => function switch
    {
        Function.Exp => ExactMath.Exp(x),
        Function.Log => ExactMath.Log(x),
        Function.Log1p => ExactMath.Log1p(x),
        Function.Tanh => ExactMath.Tanh(x),
        Function.Sigmoid => ExactMath.Sigmoid(x),
        _ => ExactMath.Softplus(x),
    };

    /// <summary>Every <paramref name="stride"/>th float32 bit pattern up to the largest finite, both signs.</summary>
    private static IEnumerable<float> StridedFloat32(int stride)
    {
        for (long bits = 0; bits < 0x7F800000; bits += stride)
        {
            var v = BitConverter.Int32BitsToSingle((int)bits);
            yield return v;
            yield return -v;
        }
    }

    /// <summary><paramref name="count"/> float64 bit patterns spread evenly over the finite ones, both signs.</summary>
    private static IEnumerable<double> StridedFloat64(int count)
    {
        var stride = 0x7FF0_0000_0000_0000 / count;
        for (long bits = 0; bits < 0x7FF0_0000_0000_0000; bits += stride)
        {
            var v = BitConverter.Int64BitsToDouble(bits);
            yield return v;
            yield return -v;
        }
    }

    /// <summary>The function applied through each accelerated vector width, padding the last vector.</summary>
    private static IEnumerable<(string Width, Func<T[], T[]> Apply)> Implementations<T>(Function function)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var f = Method<Vector256<T>>(function);
            yield return ("Vector256",
                x => Apply(x, Vector256<T>.Count, (a, i) => f(Vector256.Create<T>(a.AsSpan(i))).CopyTo(a, i)));
        }
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Method<Vector512<T>>(function);
            yield return ("Vector512",
                x => Apply(x, Vector512<T>.Count, (a, i) => f(Vector512.Create<T>(a.AsSpan(i))).CopyTo(a, i)));
        }
    }

    private static Func<TV, TV> Method<TV>(Function function) =>
        VectorMath.For(typeof(TV)).GetMethod(function.ToString(), [typeof(TV)])!.CreateDelegate<Func<TV, TV>>();

    private static T[] Apply<T>(T[] x, int width, Action<T[], int> step)
    {
        var padded = new T[(x.Length + width - 1) / width * width];
        x.CopyTo(padded, 0);
        for (var i = 0; i < padded.Length; i += width) step(padded, i);
        return padded[..x.Length];
    }

    /// <summary>Equal bits (so -0 differs from 0), or both NaN.</summary>
    private static void AssertSame(double[] expected, double[] x, double[] actual, string what)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var same = double.IsNaN(expected[i])
                ? double.IsNaN(actual[i])
                : BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]);
            Assert.True(same, $"{what}({x[i]:R}) = {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
