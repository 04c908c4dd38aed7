namespace Theon.Backends.Cpu;

/// <summary>Validates GEMM sizes, strides and buffer lengths, naming the offending argument.</summary>
internal static class GemmArguments
{
    public static void Check<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
    {
        NonNegative(m, nameof(m));
        NonNegative(n, nameof(n));
        NonNegative(k, nameof(k));
        // Stored shapes: op(A) is m×k, so A itself is k×m when transposed; likewise for B.
        Operand(a, nameof(a), transA ? k : m, transA ? m : k, lda, nameof(lda));
        Operand(b, nameof(b), transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        Operand((ReadOnlySpan<T>)c, nameof(c), m, n, ldc, nameof(ldc));
        if (m > 0 && n > 0 && (c.Overlaps(a) || c.Overlaps(b)))
            throw new ArgumentException("c: the output must not overlap the inputs a or b.", nameof(c));
    }

    private static void NonNegative(int size, string name)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(name, size, $"{name}: expected a size >= 0, got {size}.");
    }

    private static void Operand<T>(ReadOnlySpan<T> span, string name, int rows, int columns, int ld, string ldName)
    {
        if (rows == 0 || columns == 0) return;
        if (ld < columns)
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName}: expected a row stride >= {columns} (the columns of the stored {rows}×{columns} {name}), " +
                $"got {ld}.");
        var needed = (long)(rows - 1) * ld + columns;
        if (span.Length < needed)
            throw new ArgumentException(
                $"{name}: expected at least {needed} elements for a {rows}×{columns} matrix with row stride " +
                $"{ldName} = {ld}, got {span.Length}.", name);
    }
}
