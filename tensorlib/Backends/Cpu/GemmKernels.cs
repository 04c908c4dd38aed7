using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Theon.Backends.Cpu;

/// <summary>
/// A GEMM micro-kernel: C[Mr×Nr] = alpha * Apanel * Bpanel + beta * C, where the A panel holds kc packed columns
/// of Mr values and the B panel kc rows of Nr values, ldb apart (Nr when packed, B's own stride when read in
/// place). beta == 0 means C is not read.
/// </summary>
internal unsafe interface IGemmKernel<T> where T : unmanaged, INumber<T>
{
    static abstract int Mr { get; }
    static abstract int Nr { get; }
    static abstract void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta);
}

/// <summary>12 × 2-vector tile over Vector512: 24 accumulators, 2 B vectors, 1 broadcast (32 zmm registers).</summary>
internal readonly unsafe struct Avx512Kernel<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    private static int W => Vector512<T>.Count;
    public static int Mr => 12;
    public static int Nr => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (var p = 0; p < kc; p++, a += 12, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + W);
            var x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Fma(x, b0, ca0); ca1 = Fma(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Fma(x, b0, cb0); cb1 = Fma(x, b1, cb1);
        }
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        var read = beta != T.Zero;
        Store(c, c00, c01, va, vb, read); Store(c + ldc, c10, c11, va, vb, read);
        Store(c + 2 * ldc, c20, c21, va, vb, read); Store(c + 3 * ldc, c30, c31, va, vb, read);
        Store(c + 4 * ldc, c40, c41, va, vb, read); Store(c + 5 * ldc, c50, c51, va, vb, read);
        Store(c + 6 * ldc, c60, c61, va, vb, read); Store(c + 7 * ldc, c70, c71, va, vb, read);
        Store(c + 8 * ldc, c80, c81, va, vb, read); Store(c + 9 * ldc, c90, c91, va, vb, read);
        Store(c + 10 * ldc, ca0, ca1, va, vb, read); Store(c + 11 * ldc, cb0, cb1, va, vb, read);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* c, Vector512<T> s0, Vector512<T> s1, Vector512<T> alpha, Vector512<T> beta, bool read)
    {
        if (read)
        {
            (s0 * alpha + beta * Vector512.Load(c)).Store(c);
            (s1 * alpha + beta * Vector512.Load(c + W)).Store(c + W);
        }
        else
        {
            (s0 * alpha).Store(c);
            (s1 * alpha).Store(c + W);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector512.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}

/// <summary>6×(2 vectors) tile over Vector256: 12 accumulators + 3 temporaries fit AVX2's 16 ymm registers.</summary>
internal readonly unsafe struct Avx2Kernel<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    private static int W => Vector256<T>.Count;
    public static int Mr => 6;
    public static int Nr => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, a += 6, b += ldb)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + W);
            var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
        }
        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        var read = beta != T.Zero;
        Store(c, c00, c01, va, vb, read); Store(c + ldc, c10, c11, va, vb, read);
        Store(c + 2 * ldc, c20, c21, va, vb, read); Store(c + 3 * ldc, c30, c31, va, vb, read);
        Store(c + 4 * ldc, c40, c41, va, vb, read); Store(c + 5 * ldc, c50, c51, va, vb, read);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* c, Vector256<T> s0, Vector256<T> s1, Vector256<T> alpha, Vector256<T> beta, bool read)
    {
        if (read)
        {
            (s0 * alpha + beta * Vector256.Load(c)).Store(c);
            (s1 * alpha + beta * Vector256.Load(c + W)).Store(c + W);
        }
        else
        {
            (s0 * alpha).Store(c);
            (s1 * alpha).Store(c + W);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}

/// <summary>6×(2 vectors) tile over Vector128 (SSE, Arm64 NEON): as the AVX2 kernel, at half the width.</summary>
internal readonly unsafe struct Simd128Kernel<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    private static int W => Vector128<T>.Count;
    public static int Mr => 6;
    public static int Nr => 2 * Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector128<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, a += 6, b += ldb)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + W);
            var x = Vector128.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector128.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector128.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector128.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector128.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector128.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
        }
        var va = Vector128.Create(alpha);
        var vb = Vector128.Create(beta);
        var read = beta != T.Zero;
        Store(c, c00, c01, va, vb, read); Store(c + ldc, c10, c11, va, vb, read);
        Store(c + 2 * ldc, c20, c21, va, vb, read); Store(c + 3 * ldc, c30, c31, va, vb, read);
        Store(c + 4 * ldc, c40, c41, va, vb, read); Store(c + 5 * ldc, c50, c51, va, vb, read);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* c, Vector128<T> s0, Vector128<T> s1, Vector128<T> alpha, Vector128<T> beta, bool read)
    {
        if (read)
        {
            (s0 * alpha + beta * Vector128.Load(c)).Store(c);
            (s1 * alpha + beta * Vector128.Load(c + W)).Store(c + W);
        }
        else
        {
            (s0 * alpha).Store(c);
            (s1 * alpha).Store(c + W);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fma(Vector128<T> x, Vector128<T> y, Vector128<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector128.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector128.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}

/// <summary>4×4 scalar tile: the portable fallback where no vectors are accelerated.</summary>
internal readonly unsafe struct ScalarKernel<T> : IGemmKernel<T> where T : unmanaged, INumber<T>
{
    private const int Size = 4;
    public static int Mr => Size;
    public static int Nr => Size;

    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        var acc = stackalloc T[Size * Size];
        for (var i = 0; i < Size * Size; i++) acc[i] = T.Zero;
        for (var p = 0; p < kc; p++, a += Size, b += ldb)
            for (var i = 0; i < Size; i++)
            {
                var x = a[i];
                var row = acc + i * Size;
                row[0] += x * b[0]; row[1] += x * b[1]; row[2] += x * b[2]; row[3] += x * b[3];
            }
        var read = beta != T.Zero;
        for (var i = 0; i < Size; i++)
            for (var j = 0; j < Size; j++)
            {
                ref var target = ref c[i * ldc + j];
                var scaled = acc[i * Size + j] * alpha;
                target = read ? scaled + beta * target : scaled;
            }
    }
}
