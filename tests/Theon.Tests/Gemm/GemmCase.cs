using System.Numerics;
using Theon.Backends.Cpu;

namespace Theon.Tests.Gemm;

/// <summary>
/// One GEMM problem with padded strides: A, B and C are stored with lda/ldb/ldc larger than their rows, and the
/// padding of C holds a sentinel that must survive. When beta == 0, C starts as NaN, which must be ignored.
/// </summary>
internal sealed record GemmCase(bool TransA, bool TransB, int M, int N, int K, double Alpha, double Beta,
    int PadA, int PadB, int PadC, int Seed)
{
    public const double Sentinel = 12345.0;

    public int Lda => (TransA ? M : K) + PadA;
    public int Ldb => (TransB ? K : N) + PadB;
    public int Ldc => N + PadC;

    public Operands<T> Create<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(Seed);
        T Next() => T.CreateChecked(random.NextDouble() * 2 - 1);
        var a = new T[(TransA ? K : M) * Lda];
        var b = new T[(TransB ? N : K) * Ldb];
        var c = new T[M * Ldc];
        for (var i = 0; i < a.Length; i++) a[i] = Next();
        for (var i = 0; i < b.Length; i++) b[i] = Next();
        for (var i = 0; i < M; i++)
        for (var j = 0; j < Ldc; j++)
            c[i * Ldc + j] = j >= N ? T.CreateChecked(Sentinel) : Beta == 0 ? T.NaN : Next();
        return new Operands<T>(a, b, c);
    }

    public void Run<T>(string kernel, Operands<T> x, int maxThreads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateChecked(Alpha), beta = T.CreateChecked(Beta);
        switch (kernel)
        {
            case "avx512":
                Backends.Cpu.PackedGemm.Execute<T, Avx512Kernel<T>>(TransA, TransB, M, N, K, alpha, x.A, Lda, x.B, Ldb,
                    beta, x.C, Ldc, maxThreads);
                break;
            case "avx2":
                Backends.Cpu.PackedGemm.Execute<T, Avx2Kernel<T>>(TransA, TransB, M, N, K, alpha, x.A, Lda, x.B, Ldb,
                    beta, x.C, Ldc, maxThreads);
                break;
            case "simd128":
                Backends.Cpu.PackedGemm.Execute<T, Simd128Kernel<T>>(TransA, TransB, M, N, K, alpha, x.A, Lda, x.B, Ldb,
                    beta, x.C, Ldc, maxThreads);
                break;
            case "scalar":
                Backends.Cpu.PackedGemm.Execute<T, ScalarKernel<T>>(TransA, TransB, M, N, K, alpha, x.A, Lda, x.B, Ldb,
                    beta, x.C, Ldc, maxThreads);
                break;
            default:
                throw new ArgumentException($"kernel: expected avx512, avx2, simd128 or scalar, got {kernel}.", nameof(kernel));
        }
    }

    /// <summary>
    /// Checks <paramref name="result"/> against a double-precision triple loop over the original operands.
    /// Tolerance: 2(k + 2)·u·(|alpha|·Σ|a||b| + |beta|·|c|), the classic dot-product error bound with margin.
    /// </summary>
    public void AssertMatchesReference<T>(Operands<T> original, T[] result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var eps = UnitRoundoff<T>();
        double A(int i, int p) => double.CreateChecked(TransA ? original.A[p * Lda + i] : original.A[i * Lda + p]);
        double B(int p, int j) => double.CreateChecked(TransB ? original.B[j * Ldb + p] : original.B[p * Ldb + j]);
        for (var i = 0; i < M; i++)
        for (var j = 0; j < Ldc; j++)
        {
            var actual = double.CreateChecked(result[i * Ldc + j]);
            if (j >= N)
            {
                Assert.True(actual == Sentinel, $"{this}: padding C[{i},{j}] was overwritten with {actual}.");
                continue;
            }
            double sum = 0, magnitude = 0;
            for (var p = 0; p < K; p++)
            {
                sum += A(i, p) * B(p, j);
                magnitude += Math.Abs(A(i, p) * B(p, j));
            }
            var c0 = Beta == 0 ? 0 : double.CreateChecked(original.C[i * Ldc + j]);
            var expected = Alpha * sum + Beta * c0;
            var tolerance = 2 * (K + 2) * eps * (Math.Abs(Alpha) * magnitude + Math.Abs(Beta * c0)) + double.Epsilon;
            Assert.True(Math.Abs(actual - expected) <= tolerance,
                $"{this}: C[{i},{j}] = {actual}, expected {expected} ± {tolerance}.");
        }
    }

    /// <summary>u: half the distance from 1 to the next representable number.</summary>
    public static double UnitRoundoff<T>() => typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);
}

internal sealed record Operands<T>(T[] A, T[] B, T[] C)
{
    public Operands<T> Copy() => new((T[])A.Clone(), (T[])B.Clone(), (T[])C.Clone());
}
