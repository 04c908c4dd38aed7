namespace Theon.Backends.Cpu;

/// <summary>
/// C = alpha * op(A) * op(B) + beta * C on row-major storage, where op(X) is X or its transpose.
/// A is m×k after op, B is k×n after op; lda/ldb/ldc are row strides in elements.
/// </summary>
internal static class Gemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            for (var p = 0; p < k; p++)
                sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
            c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
        }
    }

    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0f;
            for (var p = 0; p < k; p++)
                sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
            c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
        }
    }
}
