using System.Numerics;
using Theon.Backends.Cpu;

namespace Theon.Values;

internal static partial class Kernels
{
    /// <summary>
    /// numpy.dot for 0-d, 1-d and 2-d operands, plus n-d · 1-d/2-d (sum over the last axis of a and the first
    /// axis of a 1-d b or the second-to-last of a 2-d b). Floats go through <see cref="Gemm"/>.
    /// </summary>
    public static NDArray Dot(NDArray a, NDArray b)
    {
        if (a.ndim == 0 || b.ndim == 0)
            return Multiply(a, b);
        if (b.ndim > 2)
            throw new ArgumentException(
                $"dot: only a 1-d or 2-d right operand is supported, got shape {NDArray.ShapeString(b.Dims)}");
        var k = a.Dims[^1];
        var kb = b.ndim == 1 ? b.Dims[0] : b.Dims[^2];
        if (k != kb)
            throw new ArgumentException(
                $"dot: shapes {NDArray.ShapeString(a.Dims)} and {NDArray.ShapeString(b.Dims)} not aligned: " +
                $"{k} (dim {a.ndim - 1}) != {kb} (dim {Math.Max(0, b.ndim - 2)})");
        var n = b.ndim == 1 ? 1 : b.Dims[1];
        int[] resultShape = [.. a.Dims[..^1], .. b.Dims[1..]];
        var matrixA = a.ndim == 1 ? a.reshape(1, k) : a.ndim == 2 ? a : a.reshape(-1, k);
        var matrixB = b.ndim == 1 ? b.reshape(k, 1) : b;
        var dtype = DType.Upcast(a.DType, b.DType);
        var computeType = dtype.IsBool ? DType.Int64 : dtype;
        matrixA = Conversion.To(matrixA, computeType);
        matrixB = Conversion.To(matrixB, computeType);
        var m = matrixA.Dims[0];
        var product = new NDArray(computeType, [m, n]);
        if (computeType == DType.Float64)
            MatMul<double>(matrixA, matrixB, product);
        else if (computeType == DType.Float32)
            MatMul<float>(matrixA, matrixB, product);
        else
            DTypeSwitch.Numeric<IntegerMatMul, bool>(computeType, new IntegerMatMul(matrixA, matrixB, product));
        return Conversion.To(product, dtype).reshape(resultShape);
    }

    private static void MatMul<T>(NDArray a, NDArray b, NDArray c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m, k) = (a.Dims[0], a.Dims[1]);
        var n = b.Dims[1];
        if (m == 0 || n == 0)
            return;
        if (k == 0)
            return; // the zero-filled result is already correct
        var (transA, lda) = GemmLayout(ref a);
        var (transB, ldb) = GemmLayout(ref b);
        var spanA = a.Storage<T>()[a.Offset..];
        var spanB = b.Storage<T>()[b.Offset..];
        var spanC = c.Span<T>();
        if (typeof(T) == typeof(double))
            Gemm.Multiply(transA, transB, m, n, k, 1.0, Cast<T, double>(spanA), lda, Cast<T, double>(spanB), ldb,
                0.0, Cast<T, double>(spanC), n);
        else
            Gemm.Multiply(transA, transB, m, n, k, 1f, Cast<T, float>(spanA), lda, Cast<T, float>(spanB), ldb,
                0f, Cast<T, float>(spanC), n);
    }

    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span) where TFrom : unmanaged where TTo : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(span);

    /// <summary>
    /// How a 2-d view maps onto row-major Gemm: row-contiguous as is, column-contiguous as a transposed
    /// operand; anything else is copied first.
    /// </summary>
    private static (bool Transposed, int LeadingDimension) GemmLayout(ref NDArray matrix)
    {
        var (rows, cols) = (matrix.Dims[0], matrix.Dims[1]);
        var (rowStride, colStride) = (matrix.Strides[0], matrix.Strides[1]);
        if ((colStride == 1 || cols == 1) && rowStride >= Math.Max(1, cols))
            return (false, rowStride);
        if ((rowStride == 1 || rows == 1) && colStride >= Math.Max(1, rows))
            return (true, colStride);
        matrix = matrix.Copy();
        return (false, Math.Max(1, cols));
    }

    private readonly struct IntegerMatMul(NDArray a, NDArray b, NDArray c) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            var x = a.AsContiguous().Span<T>();
            var y = b.AsContiguous().Span<T>();
            var z = c.Span<T>();
            var (m, k, n) = (a.Dims[0], a.Dims[1], b.Dims[1]);
            for (var i = 0; i < m; i++)
            for (var p = 0; p < k; p++)
            {
                var xip = x[i * k + p];
                for (var j = 0; j < n; j++)
                    z[i * n + j] += xip * y[p * n + j];
            }
            return true;
        }
    }
}
