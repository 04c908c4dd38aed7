using System.Numerics;
using System.Runtime.Intrinsics;

namespace Theon.Backends.Cpu;

/// <summary>
/// C = alpha * op(A) * op(B) + beta * C on row-major storage, where op(X) is X or its transpose.
/// A is m×k after op, B is k×n after op; lda/ldb/ldc are row strides in elements.
/// beta == 0 means C is only written (NaN there is ignored); alpha == 0 or k == 0 only scales C by beta.
/// </summary>
internal static class PackedGemm
{
    /// <summary>Upper bound on the threads one call uses; small problems always stay on the calling thread.</summary>
    internal static int MaxThreads { get; set; } = Environment.ProcessorCount;

    // Below this many multiply-adds per thread, scheduling costs more than it saves.
    private const long WorkPerThread = 64 * 64 * 64;

    public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Multiply<double>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, MaxThreads);

    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply<float>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, MaxThreads);

    /// <summary>The same with an explicit thread bound (the CPU backend passes <c>config.num_threads</c>).</summary>
    internal static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, int maxThreads = 0)
        where T : unmanaged, INumber<T>
    {
        if (maxThreads <= 0) maxThreads = MaxThreads;
        if (Vector512.IsHardwareAccelerated)
            Execute<T, Avx512Kernel<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
        else if (Vector256.IsHardwareAccelerated)
            Execute<T, Avx2Kernel<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
        else if (Vector128.IsHardwareAccelerated)
            Execute<T, Simd128Kernel<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
        else
            Execute<T, ScalarKernel<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /// <summary>The GEMM with a chosen micro-kernel and thread bound (tests pin both).</summary>
    internal static unsafe void Execute<T, TKernel>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, int maxThreads)
        where T : unmanaged, INumber<T>
        where TKernel : IGemmKernel<T>
    {
        GemmArguments.Check(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == T.Zero)
            {
                Scale(m, n, beta, pc, ldc);
                return;
            }
            if (n == 1)
            {
                Gemv.Multiply(m, k, alpha, new StridedMatrix<T>(pa, lda, transA), pb, transB ? 1 : ldb, beta, pc, ldc);
                return;
            }
            if (m == 1)
            {
                Gemv.Multiply(n, k, alpha, new StridedMatrix<T>(pb, ldb, !transB), pa, transA ? lda : 1, beta, pc, 1);
                return;
            }
            var job = new GemmJob<T>(m, n, k, alpha, new StridedMatrix<T>(pa, lda, transA),
                new StridedMatrix<T>(pb, ldb, transB), beta, pc, ldc);
            var threads = ThreadCount(m, n, k, TKernel.Mr, TKernel.Nr, maxThreads);
            if (threads == 1)
                job.Run<TKernel>(0, 1);
            else
                RunParallel<T, TKernel>(job, threads);
        }
    }

    private static void RunParallel<T, TKernel>(GemmJob<T> job, int threads)
        where T : unmanaged, INumber<T>
        where TKernel : IGemmKernel<T>
    {
        var work = GemmWork<T, TKernel>.ForThisThread;
        work.Job = job;
        WorkerPool.Run(work, threads);
    }

    private static int ThreadCount(int m, int n, int k, int mr, int nr, int maxThreads)
    {
        var work = (long)m * n * k;
        if (maxThreads <= 1 || work < 2 * WorkPerThread) return 1;
        var panels = n >= m ? (n + nr - 1) / nr : (m + mr - 1) / mr;
        return (int)Math.Min(Math.Min(maxThreads, panels), work / WorkPerThread);
    }

    private static unsafe void Scale<T>(int m, int n, T beta, T* c, nint ldc) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One)
                foreach (ref var x in row) x *= beta;
        }
    }
}

/// <summary>One GEMM call split into equal parts of C along its longer side, at micro-tile boundaries.</summary>
internal readonly unsafe struct GemmJob<T>(int m, int n, int k, T alpha, StridedMatrix<T> a, StridedMatrix<T> b,
    T beta, T* c, nint ldc) where T : unmanaged, INumber<T>
{
    public void Run<TKernel>(int part, int parts) where TKernel : IGemmKernel<T>
    {
        if (n >= m)
        {
            var (start, count) = Share(n, TKernel.Nr, part, parts);
            if (count > 0)
                GemmDriver<T, TKernel>.Multiply(m, count, k, alpha, a, b.Slice(0, start), beta, c + start, ldc);
        }
        else
        {
            var (start, count) = Share(m, TKernel.Mr, part, parts);
            if (count > 0)
                GemmDriver<T, TKernel>.Multiply(count, n, k, alpha, a.Slice(start, 0), b, beta, c + start * ldc, ldc);
        }
    }

    private static (int Start, int Count) Share(int length, int unit, int part, int parts)
    {
        var units = (length + unit - 1) / unit;
        var begin = Math.Min(length, (int)((long)units * part / parts) * unit);
        var end = Math.Min(length, (int)((long)units * (part + 1) / parts) * unit);
        return (begin, end - begin);
    }
}

/// <summary>A <see cref="GemmJob{T}"/> as pool work: one reusable holder per calling thread, so no
/// allocation.</summary>
internal sealed class GemmWork<T, TKernel> : IPartitionedWork
    where T : unmanaged, INumber<T>
    where TKernel : IGemmKernel<T>
{
    [ThreadStatic]
    private static GemmWork<T, TKernel>? forThisThread;

    public static GemmWork<T, TKernel> ForThisThread => forThisThread ??= new GemmWork<T, TKernel>();

    public GemmJob<T> Job { get; set; }

    public void Run(int part, int parts) => Job.Run<TKernel>(part, parts);
}
