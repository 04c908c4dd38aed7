using System.Numerics;
using System.Runtime.InteropServices;

namespace Theon.Backends.Cpu;

/// <summary>
/// y = alpha * M * x + beta * y: the GEMM path for a product with a single output row or column
/// (np.dot of a matrix and a vector). Packing into Mr×Nr tiles would waste most of each tile, and the product is
/// bound by reading M once, so it runs as dot products along contiguous rows of M, or as row updates (axpy)
/// when M is stored transposed.
/// </summary>
internal static unsafe class Gemv
{
    public static void Multiply<T>(int rows, int depth, T alpha, StridedMatrix<T> matrix, T* x, nint incX, T beta,
        T* y, nint incY) where T : unmanaged, INumber<T>
    {
        var sums = GemmBuffers<T>.B(rows);
        if (matrix.Transposed)
            Updates(rows, depth, matrix, x, incX, sums);
        else
            Dots(rows, depth, matrix, Contiguous(x, incX, depth), sums);
        var read = beta != T.Zero;
        for (var i = 0; i < rows; i++)
        {
            ref var target = ref y[i * incY];
            var scaled = sums[i] * alpha;
            target = read ? scaled + beta * target : scaled;
        }
    }

    private static T* Contiguous<T>(T* x, nint incX, int depth) where T : unmanaged
    {
        if (incX == 1) return x;
        var copy = GemmBuffers<T>.A(depth);
        for (var p = 0; p < depth; p++) copy[p] = x[p * incX];
        return copy;
    }

    private static void Dots<T>(int rows, int depth, StridedMatrix<T> matrix, T* x, T* sums)
        where T : unmanaged, INumber<T>
    {
        var vector = new ReadOnlySpan<T>(x, depth);
        for (var i = 0; i < rows; i++)
            sums[i] = Dot(new ReadOnlySpan<T>(matrix.Data + i * matrix.Ld, depth), vector);
    }

    private static T Dot<T>(ReadOnlySpan<T> u, ReadOnlySpan<T> v) where T : unmanaged, INumber<T>
    {
        var width = Vector<T>.Count;
        Vector<T> s0 = default, s1 = default, s2 = default, s3 = default;
        var p = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var uv = MemoryMarshal.Cast<T, Vector<T>>(u);
            var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var q = 0;
            for (; q + 4 <= uv.Length; q += 4)
            {
                s0 += uv[q] * vv[q];
                s1 += uv[q + 1] * vv[q + 1];
                s2 += uv[q + 2] * vv[q + 2];
                s3 += uv[q + 3] * vv[q + 3];
            }
            for (; q < uv.Length; q++) s0 += uv[q] * vv[q];
            p = uv.Length * width;
        }
        var sum = Vector.Sum(s0 + s1 + (s2 + s3));
        for (; p < u.Length; p++) sum += u[p] * v[p];
        return sum;
    }

    // Transposed storage: row p of the stored matrix holds M(·, p), so y accumulates x[p] times that row.
    private static void Updates<T>(int rows, int depth, StridedMatrix<T> matrix, T* x, nint incX, T* sums)
        where T : unmanaged, INumber<T>
    {
        var total = new Span<T>(sums, rows);
        total.Clear();
        var totals = MemoryMarshal.Cast<T, Vector<T>>(total);
        var vectorized = Vector.IsHardwareAccelerated ? totals.Length * Vector<T>.Count : 0;
        for (var p = 0; p < depth; p++)
        {
            var row = new ReadOnlySpan<T>(matrix.Data + p * matrix.Ld, rows);
            var scale = x[p * incX];
            if (vectorized > 0)
            {
                var rowVectors = MemoryMarshal.Cast<T, Vector<T>>(row);
                var factor = new Vector<T>(scale);
                for (var q = 0; q < totals.Length; q++) totals[q] += rowVectors[q] * factor;
            }
            for (var i = vectorized; i < rows; i++) total[i] += row[i] * scale;
        }
    }
}
