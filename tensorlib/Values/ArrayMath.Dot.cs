using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>
    /// numpy.dot for 0-d, 1-d and 2-d operands, plus n-d · 1-d/2-d (sum over the last axis of a and the first
    /// axis of a 1-d b or the second-to-last of a 2-d b). The reference the backends' products are tested against:
    /// a plain triple loop, floats accumulated in float64 and rounded once, integers in their own dtype (wrapping,
    /// as numpy's do), bools as int64.
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
        int[] resultShape = [.. a.Dims[..^1], .. b.Dims[1..]];
        var matrixA = a.ndim == 1 ? a.reshape(1, k) : a.ndim == 2 ? a : a.reshape(-1, k);
        var matrixB = b.ndim == 1 ? b.reshape(k, 1) : b;
        var dtype = DType.Upcast(a.DType, b.DType);
        var accumulator = dtype.IsFloat ? DType.Float64 : dtype.IsBool ? DType.Int64 : dtype;
        var product = new NDArray(accumulator, [matrixA.Dims[0], matrixB.Dims[1]]);
        DTypeSwitch.Numeric<MatMul, bool>(accumulator, new MatMul(
            Conversion.To(matrixA, accumulator).AsContiguous(), Conversion.To(matrixB, accumulator).AsContiguous(),
            product));
        return Conversion.To(product, dtype).reshape(resultShape);
    }

    /// <summary>c += a · b for contiguous matrices, each row of c summed in order of the inner index.</summary>
    private readonly struct MatMul(NDArray a, NDArray b, NDArray c) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            var x = a.Span<T>();
            var y = b.Span<T>();
            var z = c.Span<T>();
            var (m, k, n) = (a.Dims[0], a.Dims[1], b.Dims[1]);
            for (var i = 0; i < m; i++)
            {
                var row = z.Slice(i * n, n);
                for (var p = 0; p < k; p++)
                {
                    var xip = x[i * k + p];
                    var yRow = y.Slice(p * n, n);
                    for (var j = 0; j < row.Length; j++)
                        row[j] += xip * yRow[j];
                }
            }
            return true;
        }
    }
}
