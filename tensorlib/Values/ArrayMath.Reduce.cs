using System.Numerics;
using System.Numerics.Tensors;

namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>numpy.sum: bool and integers accumulate in int64, floats in their own type.</summary>
    public static NDArray Sum(NDArray a, int[]? axes, bool keepdims) =>
        Reduce<SumReduction>(a, axes, keepdims, a.DType.IsFloat ? a.DType : DType.Int64, "sum");

    public static NDArray Prod(NDArray a, int[]? axes, bool keepdims) =>
        Reduce<ProductReduction>(a, axes, keepdims, a.DType.IsFloat ? a.DType : DType.Int64, "prod");

    public static NDArray Max(NDArray a, int[]? axes, bool keepdims) =>
        Reduce<MaxReduction>(a, axes, keepdims, a.DType, "maximum");

    public static NDArray Min(NDArray a, int[]? axes, bool keepdims) =>
        Reduce<MinReduction>(a, axes, keepdims, a.DType, "minimum");

    /// <summary>numpy.mean: integers average in float64, floats in their own type.</summary>
    public static NDArray Mean(NDArray a, int[]? axes, bool keepdims)
    {
        var dtype = a.DType.IsFloat ? a.DType : DType.Float64;
        var sum = Reduce<SumReduction>(a, axes, keepdims, dtype, "mean");
        return TrueDivide(sum, NDArray.Scalar((double)ReducedCount(a, axes), dtype));
    }

    private static int ReducedCount(NDArray a, int[]? axes)
    {
        var count = 1;
        foreach (var axis in Shapes.NormalizeAxes(axes, a.ndim))
            count *= a.Dims[axis];
        return count;
    }

    public static NDArray Argmax(NDArray a, int? axis, bool keepdims) =>
        ArgReduce<ArgmaxReduction>(a, axis, keepdims, "argmax");
    public static NDArray Argmin(NDArray a, int? axis, bool keepdims) =>
        ArgReduce<ArgminReduction>(a, axis, keepdims, "argmin");

    /// <summary>
    /// Reduces <paramref name="a"/> (converted to <paramref name="dtype"/>) over <paramref name="axes"/>.
    /// </summary>
    private static NDArray Reduce<TReduction>(NDArray a, int[]? axes, bool keepdims, DType dtype, string name)
        where TReduction : IReduction
    {
        var reduced = Shapes.NormalizeAxes(axes, a.ndim);
        if (IsLeadingPrefix(reduced) && a.IsContiguous && reduced.Length < a.ndim)
            return ReduceLeading<TReduction>(a, reduced.Length, keepdims, dtype, name);
        var (block, resultShape, rowLength) = Arrange(a, reduced, keepdims);
        if (rowLength == 0 && !TReduction.HasIdentity && Shapes.Size(resultShape) > 0)
            throw new ArgumentException($"zero-size array to reduction operation {name} which has no identity");
        block = Conversion.To(block, dtype).AsContiguous();
        var result = new NDArray(dtype, resultShape);
        DTypeSwitch.Numeric<ReduceRows<TReduction>, bool>(dtype, new ReduceRows<TReduction>(block, rowLength, result));
        return result;
    }

    private static bool IsLeadingPrefix(int[] sortedAxes)
    {
        for (var i = 0; i < sortedAxes.Length; i++)
            if (sortedAxes[i] != i)
                return false;
        return true;
    }

    /// <summary>
    /// Reduces the first <paramref name="count"/> axes of a contiguous array (a bias gradient's sum over the batch)
    /// by combining whole rows, which reads memory in order instead of transposing it.
    /// </summary>
    private static NDArray ReduceLeading<TReduction>(NDArray a, int count, bool keepdims, DType dtype, string name)
        where TReduction : IReduction
    {
        var rows = a.Dims[..count].Aggregate(1, (n, d) => n * d);
        int[] resultShape = keepdims ? [.. Enumerable.Repeat(1, count), .. a.Dims[count..]] : a.Dims[count..];
        if (rows == 0 && !TReduction.HasIdentity && Shapes.Size(resultShape) > 0)
            throw new ArgumentException($"zero-size array to reduction operation {name} which has no identity");
        var block = Conversion.To(a, dtype);
        var result = new NDArray(dtype, resultShape);
        DTypeSwitch.Numeric<CombineRows<TReduction>, bool>(dtype, new CombineRows<TReduction>(block, rows, result));
        return result;
    }

    /// <summary>
    /// A contiguous rows × rowLength block with the kept axes first and the reduced axes last, plus the result shape.
    /// </summary>
    private static (NDArray Block, int[] ResultShape, int RowLength) Arrange(NDArray a, int[] reduced, bool keepdims)
    {
        var isReduced = new bool[a.ndim];
        foreach (var axis in reduced)
            isReduced[axis] = true;
        var kept = Enumerable.Range(0, a.ndim).Where(i => !isReduced[i]).ToArray();
        var rowLength = reduced.Aggregate(1, (n, axis) => n * a.Dims[axis]);
        var resultShape = keepdims
            ? a.Dims.Select((d, i) => isReduced[i] ? 1 : d).ToArray()
            : kept.Select(i => a.Dims[i]).ToArray();
        var block = a.transpose([.. kept, .. reduced]).AsContiguous();
        return (block, resultShape, rowLength);
    }

    private interface IReduction
    {
        static abstract bool HasIdentity { get; }
        static abstract T Reduce<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T>;

        /// <summary>destination[i] = reduce(x[i], y[i]).</summary>
        static abstract void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, INumber<T>;
    }

    private readonly struct CombineRows<TReduction>(NDArray block, int rows, NDArray result) : INumericFunc<bool>
        where TReduction : IReduction
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            ReadOnlySpan<T> source = block.Span<T>();
            var destination = result.Span<T>();
            var width = destination.Length;
            if (rows == 0)
            {
                destination.Fill(TReduction.Reduce(ReadOnlySpan<T>.Empty));
                return true;
            }
            source[..width].CopyTo(destination);
            for (var row = 1; row < rows; row++)
                TReduction.Combine(destination, source.Slice(row * width, width), destination);
            return true;
        }
    }

    private readonly struct ReduceRows<TReduction>(NDArray block, int rowLength, NDArray result) : INumericFunc<bool>
        where TReduction : IReduction
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            ReadOnlySpan<T> source = block.Span<T>();
            var destination = result.Span<T>();
            for (var row = 0; row < destination.Length; row++)
                destination[row] = TReduction.Reduce(source.Slice(row * rowLength, rowLength));
            return true;
        }
    }

    private readonly struct SumReduction : IReduction
    {
        public static bool HasIdentity => true;
        public static T Reduce<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> => TensorPrimitives.Sum(row);

        public static void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, INumber<T> => TensorPrimitives.Add(x, y, destination);
    }

    private readonly struct ProductReduction : IReduction
    {
        public static bool HasIdentity => true;

        public static T Reduce<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> =>
            row.IsEmpty ? T.One : TensorPrimitives.Product(row);

        public static void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, y, destination);
    }

    private readonly struct MaxReduction : IReduction
    {
        public static bool HasIdentity => false;
        public static T Reduce<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> => TensorPrimitives.Max(row);

        public static void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, y, destination);
    }

    private readonly struct MinReduction : IReduction
    {
        public static bool HasIdentity => false;
        public static T Reduce<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> => TensorPrimitives.Min(row);

        public static void Combine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, INumber<T> => TensorPrimitives.Min(x, y, destination);
    }

    /// <summary>int64 index of the first extreme (or first NaN) along one axis, or over the flattened array.</summary>
    private static NDArray ArgReduce<TReduction>(NDArray a, int? axis, bool keepdims, string name)
        where TReduction : IArgReduction
    {
        int[] reduced = axis is null
            ? Enumerable.Range(0, a.ndim).ToArray()
            : [Shapes.NormalizeAxis(axis.Value, a.ndim)];
        var (block, resultShape, rowLength) = Arrange(a, reduced, keepdims);
        if (rowLength == 0)
            throw new ArgumentException($"attempt to get {name} of an empty sequence");
        var result = new NDArray(DType.Int64, resultShape);
        DTypeSwitch.Numeric<ArgRows<TReduction>, bool>(a.DType, new ArgRows<TReduction>(block, rowLength, result));
        return result;
    }

    private interface IArgReduction
    {
        static abstract int IndexOf<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T>;
    }

    private readonly struct ArgRows<TReduction>(NDArray block, int rowLength, NDArray result) : INumericFunc<bool>
        where TReduction : IArgReduction
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            ReadOnlySpan<T> source = block.Span<T>();
            var destination = result.Span<long>();
            for (var row = 0; row < destination.Length; row++)
                destination[row] = TReduction.IndexOf(source.Slice(row * rowLength, rowLength));
            return true;
        }
    }

    private readonly struct ArgmaxReduction : IArgReduction
    {
        public static int IndexOf<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> =>
            TensorPrimitives.IndexOfMax(row);
    }

    private readonly struct ArgminReduction : IArgReduction
    {
        public static int IndexOf<T>(ReadOnlySpan<T> row) where T : unmanaged, INumber<T> =>
            TensorPrimitives.IndexOfMin(row);
    }
}
