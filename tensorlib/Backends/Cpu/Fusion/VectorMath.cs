using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Theon.Backends.Cpu.Fusion;

/// <summary>
/// exp, log, log1p, tanh, sigmoid and softplus of a vector, written once for the four vector types through
/// <typeparamref name="TOps"/>; the two precisions differ only in constants and polynomials. .NET's float
/// Vector512.Exp widens to double, its float Log is slower still, and it has no vector tanh, log1p or softplus.
/// Largest errors measured against a double-double oracle (tests/Theon.Tests/Backends/VectorMathTests.cs), in ulps,
/// float32/float64: exp 1.23/0.85, log 0.75/0.75, log1p 1.35/0.76, tanh 1.26/1.18, sigmoid 2.33/2.11, softplus
/// 1.86/1.6, subnormal results included; NaN passes through and the infinities give the limits.
/// Every method here and in the <see cref="ISimd{TV}"/> structs is AggressiveInlining: the JIT exempts an unbroken
/// chain of forced inlines from its inlining budget, and a single discretionary link left dozens of tiny calls
/// (passing vectors through memory) in a generated loop.
/// </summary>
internal static class VectorMath<TV, TOps> where TV : struct where TOps : ISimd<TV>
{
    // Properties over TOps.IsDouble, not static readonly fields: the JIT folds those only once the class is
    // initialized, which it is not yet when a generated loop is compiled.
    private static bool IsDouble => TOps.IsDouble;

    private static int MantissaBits => IsDouble ? 52 : 23;

    private static int Bias => IsDouble ? 1023 : 127;

    // Adding 1.5·2^MantissaBits rounds a number of magnitude below 2^(MantissaBits-1) to an integer and leaves that
    // integer in the low bits: a float-to-integer conversion without the int64 one that AVX2 lacks.
    private static double Shifter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsDouble ? 6755399441055744.0 : 12582912.0;
    }

    private static double MinNormal
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsDouble ? 2.2250738585072014E-308 : 1.1754943508222875E-38;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x) => Exp(new V(x)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log(TV x) => Log(new V(x)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log1p(TV x) => Log1p(new V(x)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x) => Tanh(new V(x)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid(TV x) => Sigmoid(new V(x)).Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Softplus(TV x) => Softplus(new V(x)).Value;

    /// <summary>
    /// e^x: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts), a polynomial for e^r (Cephes expf; SLEEF's degree 12
    /// for double: alone within 10% of .NET's Vector512.Exp(double), 0.85 ulps to its 2.2, and 3.6× faster in a
    /// generated loop, which does not inline .NET's), times 2^n built from exponent bits in two factors so that
    /// results reach the subnormals. Clamping x first makes +inf give inf and -inf give 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Exp(V x)
    {
        var xc = Clamp(x, IsDouble ? -746 : -104, IsDouble ? 710 : 89);
        var shifted = Fma(xc, 1.4426950408889634, Shifter);
        var n = shifted - Shifter;
        var r = Fma(n, IsDouble ? -0.69314718055966295651160180568695068359375 : -0.693359375, xc);
        r = Fma(n, IsDouble ? -0.28235290563031577122588448175013436025525412068e-12 : 2.12194440e-4, r);
        var p = IsDouble ? ExpPolynomialDouble(r) : ExpPolynomialSingle(r);
        return Select(Equal(x, x), ScaleByPowerOfTwo(p, n, SubtractBits(shifted, Shifter)), x);
    }

    /// <summary>
    /// log x: x = 2^e·z with z in [√½, √2), then e·ln2 + log(1 + f), f = z - 1, with Cephes' logf polynomial in f
    /// or for double fdlibm's in f / (2 + f).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Log(V x)
    {
        var f = Reduce(x, out var e, out _);
        return SpecialLogs(x, LogKernel(f, e));
    }

    /// <summary>
    /// log(1 + x): log u, u = 1 + x, with the rounding error x - (u - 1) of u, scaled like u, added to f, so that
    /// the bits of x that u dropped count (u = 1 gives x itself, as in the scalar Log1pOp).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Log1p(V x)
    {
        var u = 1 + x;
        var f = Reduce(u, out var e, out var biasedExponent);
        // 2^-e as 2^(1-e)·½: 2^(1-e) is normal down to the top binade, where it is 0 and the rounding error is 0 too
        var scale = 0.5 * ShiftLeftBits(SubtractBits(Bits(2 * Bias + 1), biasedExponent), MantissaBits);
        var log = SpecialLogs(u, LogKernel(Fma(x - (u - 1), scale, f), e));
        return Select(Equal(u, 1), x, log);
    }

    /// <summary>
    /// f with x = 2^e (1 + f), 1 + f in [√½, √2), and e as a float and as the integer e + bias; subnormal x are scaled
    /// into the normal range first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Reduce(V x, out V e, out V biasedExponent)
    {
        var subnormal = LessThan(x, MinNormal);
        var xn = Select(subnormal, x * (IsDouble ? 4503599627370496.0 : 8388608.0), x);
        // x's bits minus √½'s, plus 1's: the exponent field holds e + bias, the mantissa field that of z - √½
        var sqrtHalf = IsDouble ? 0x3FE6A09E667F3BCD : 0x3F3504F3;
        var bits = AddBits(xn, Bits(((long)Bias << MantissaBits) - sqrtHalf));
        var z = AddBits(bits & Bits((1L << MantissaBits) - 1), Bits(sqrtHalf));
        biasedExponent = ShiftRightLogicalBits(bits, MantissaBits);
        e = AddBits(biasedExponent, Shifter) - (Shifter + Bias) - (subnormal & MantissaBits);
        return z - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LogKernel(V f, V e) => IsDouble ? LogKernelDouble(f, e) : LogKernelSingle(f, e);

    /// <summary>log at the x that <see cref="Reduce"/> does not cover: +inf, ±0, negative and NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V SpecialLogs(V x, V log)
    {
        log = Select(Equal(x, double.PositiveInfinity), x, log);
        log = Select(Equal(x, 0), double.NegativeInfinity, log);
        return Select(LessThanOrEqual(0, x), log, double.NaN);
    }

    /// <summary>
    /// tanh |x| = 1 - 2 / (e + 1) with e = exp(2|x|) from 0.625 up, and below, where that would cancel, Cephes'
    /// |x| + |x|³ P(x²) / Q(x²), both over one division; the sign of x is put back last. |x| is clamped to 20, where
    /// tanh is 1 in both precisions, so that e stays finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Tanh(V x)
    {
        var a = Abs(x);
        var s = a * a;
        var p = Fma(Fma(-9.64399179425052238628E-1, s, -9.92877231001918586564E1), s, -1.61468768441708447952E3);
        var q = Fma(Fma(s + 1.12811678491632931402E2, s, 2.23548839060100448583E3), s, 4.84406305325125486048E3);
        var e = Exp(2 * Clamp(a, 0, 20));
        var small = LessThan(a, 0.625);
        var t = Select(small, a, 1) + Select(small, a * s * p, -2) / Select(small, q, e + 1);
        return Select(Equal(x, x), t | (x & -0.0), x);
    }

    /// <summary>1 / (1 + e^-x) for x ≥ 0, e^x / (1 + e^x) below: one exp of -|x|, never overflowing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Sigmoid(V x)
    {
        var e = Exp(-Abs(x));
        return Select(LessThan(x, 0), e, 1) / (1 + e);
    }

    /// <summary>log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow, and x or e^x in the tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Softplus(V x) => Max(x, 0) + Log1p(Exp(-Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpPolynomialSingle(V r)
    {
        var p = Fma(1.9875691500E-4, r, 1.3981999507E-3);
        p = Fma(p, r, 8.3334519073E-3);
        p = Fma(p, r, 4.1665795894E-2);
        p = Fma(p, r, 1.6666665459E-1);
        p = Fma(p, r, 5.0000001201E-1);
        return Fma(p, r * r, r + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpPolynomialDouble(V r)
    {
        var p = Fma(0.2081276378237164457e-8, r, 0.2511210703042288022e-7);
        p = Fma(p, r, 0.2755762628169491192e-6);
        p = Fma(p, r, 0.2755723402025388239e-5);
        p = Fma(p, r, 0.2480158687479686264e-4);
        p = Fma(p, r, 0.1984126989855865850e-3);
        p = Fma(p, r, 0.1388888888914497797e-2);
        p = Fma(p, r, 0.8333333333314938210e-2);
        p = Fma(p, r, 0.4166666666666602598e-1);
        p = Fma(p, r, 0.1666666666666669072e+0);
        p = Fma(p, r, 0.5);
        p = Fma(p, r, 1);
        return Fma(p, r, 1);
    }

    /// <summary>p·2^n for integral n (<paramref name="bits"/>: n as an integer), as two powers of two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ScaleByPowerOfTwo(V p, V n, V bits)
    {
        var half = SubtractBits(Fma(n, 0.5, Shifter), Shifter);
        return p * PowerOfTwo(half) * PowerOfTwo(SubtractBits(bits, half));
    }

    /// <summary>2^k for integer lanes k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V PowerOfTwo(V k) => ShiftLeftBits(AddBits(k, Bits(Bias)), MantissaBits);

    // log(2^e (1 + f)) for f in [√½ - 1, √2 - 1): Cephes logf.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LogKernelSingle(V f, V e)
    {
        var f2 = f * f;
        var y = Fma(7.0376836292E-2, f, -1.1514610310E-1);
        y = Fma(y, f, 1.1676998740E-1);
        y = Fma(y, f, -1.2420140846E-1);
        y = Fma(y, f, 1.4249322787E-1);
        y = Fma(y, f, -1.6668057665E-1);
        y = Fma(y, f, 2.0000714765E-1);
        y = Fma(y, f, -2.4999993993E-1);
        y = Fma(y, f, 3.3333331174E-1);
        y *= f * f2;
        y = Fma(e, -2.12194440e-4, y);
        y = Fma(f2, -0.5, y);
        return Fma(e, 0.693359375, f + y);
    }

    // log(2^e (1 + f)) for f in [√½ - 1, √2 - 1): fdlibm's log, ln2 in two parts.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LogKernelDouble(V f, V e)
    {
        var s = f / (2 + f);
        var s2 = s * s;
        var r = Fma(1.479819860511658591e-01, s2, 1.531383769920937332e-01);
        r = Fma(r, s2, 1.818357216161805012e-01);
        r = Fma(r, s2, 2.222219843214978396e-01);
        r = Fma(r, s2, 2.857142874366239149e-01);
        r = Fma(r, s2, 3.999999999940941908e-01);
        r = Fma(r, s2, 6.666666666666735130e-01);
        r *= s2;
        var halfSquare = 0.5 * f * f;
        var t = halfSquare - Fma(s, halfSquare + r, e * 1.90821492927058770002e-10);
        return Fma(e, 6.93147180369123816490e-01, f - t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Fma(V a, V b, V c) => new(TOps.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Abs(V x) => new(TOps.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Max(V x, V y) => new(TOps.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Clamp(V x, V min, V max) => new(TOps.Clamp(x.Value, min.Value, max.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Select(V mask, V whenTrue, V whenFalse) =>
        new(TOps.Select(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Equal(V x, V y) => new(TOps.Equal(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LessThan(V x, V y) => new(TOps.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LessThanOrEqual(V x, V y) => new(TOps.LessThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Bits(long value) => new(TOps.CreateBits(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V AddBits(V x, V y) => new(TOps.AddBits(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V SubtractBits(V x, V y) => new(TOps.SubtractBits(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ShiftLeftBits(V x, int count) => new(TOps.ShiftLeftBits(x.Value, count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ShiftRightLogicalBits(V x, int count) => new(TOps.ShiftRightLogicalBits(x.Value, count));

    /// <summary>A vector with operators, so that the algorithms read as formulas; a double is a constant.</summary>
    private readonly struct V
    {
        public readonly TV Value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V(TV value) => Value = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static implicit operator V(double value) => new(TOps.Create(value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator +(V x, V y) => new(TOps.Add(x.Value, y.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator -(V x, V y) => new(TOps.Subtract(x.Value, y.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator *(V x, V y) => new(TOps.Multiply(x.Value, y.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator /(V x, V y) => new(TOps.Divide(x.Value, y.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator -(V x) => new(TOps.Negate(x.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator &(V x, V y) => new(TOps.And(x.Value, y.Value));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V operator |(V x, V y) => new(TOps.Or(x.Value, y.Value));
    }
}

/// <summary>The <see cref="VectorMath{TV, TOps}"/> of each vector type fused loops run on.</summary>
internal static class VectorMath
{
    /// <summary>The closed VectorMath class for Vector256 or Vector512 of float or double.</summary>
    public static Type For(Type vector) => vector switch
    {
        _ when vector == typeof(Vector256<float>) => typeof(VectorMath<Vector256<float>, Single256Ops>),
        _ when vector == typeof(Vector512<float>) => typeof(VectorMath<Vector512<float>, Single512Ops>),
        _ when vector == typeof(Vector256<double>) => typeof(VectorMath<Vector256<double>, Double256Ops>),
        _ when vector == typeof(Vector512<double>) => typeof(VectorMath<Vector512<double>, Double512Ops>),
        _ => throw new ArgumentException($"no vector math for {vector}"),
    };
}
