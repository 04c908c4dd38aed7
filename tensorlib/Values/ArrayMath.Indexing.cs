using System.Numerics;

namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>
    /// numpy advanced indexing a[i0, i1, ...]: integer index arrays broadcast together select along the
    /// leading axes; the result has the index shape followed by the remaining axes of <paramref name="a"/>.
    /// </summary>
    public static NDArray Take(NDArray a, NDArray[] indices)
    {
        var plan = IndexPlan.Create(a, indices);
        var source = a.AsContiguous();
        var result = new NDArray(a.DType, plan.ResultShape);
        DTypeSwitch.Numeric<Gather, bool>(a.DType, new Gather(source, plan, result));
        return result;
    }

    /// <summary>numpy.add.at: target[i0, i1, ...] += values, accumulating repeated indices (unbuffered).</summary>
    public static void AddAt(NDArray target, NDArray[] indices, NDArray values)
    {
        var (plan, source) = Scattered("add.at", target, indices, values);
        if (target.DType.IsBool)
            throw new ArgumentException("add.at on a bool target is not supported", nameof(target));
        DTypeSwitch.Numeric<Scatter, bool>(target.DType, new Scatter(target, plan, source));
    }

    /// <summary>The plan of <c>target[indices]</c> and the values to write there: broadcast to the indexed shape and
    /// converted to the target's dtype.</summary>
    private static (IndexPlan Plan, NDArray Source) Scattered(string what, NDArray target, NDArray[] indices,
        NDArray values)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        var plan = IndexPlan.Create(target, indices);
        if (!Shapes.CanBroadcastTo(values.Dims, plan.ResultShape))
            throw new ArgumentException(
                $"{what}: values of shape {NDArray.ShapeString(values.Dims)} do not broadcast to the indexed shape " +
                $"{NDArray.ShapeString(plan.ResultShape)}", nameof(values));
        return (plan, Matching(values, target.DType, plan.ResultShape));
    }

    /// <summary><paramref name="values"/> as a contiguous array of <paramref name="dtype"/> and
    /// <paramref name="shape"/>: itself when it is one, else broadcast and converted into a new one.</summary>
    private static NDArray Matching(NDArray values, DType dtype, int[] shape) =>
        values.DType == dtype && values.IsContiguous && values.Dims.AsSpan().SequenceEqual(shape) ? values
            : Conversion.Cast(values.BroadcastTo(shape), dtype);

    /// <summary>The element offsets (relative to the array's offset) that an index tuple selects.</summary>
    private sealed class IndexPlan
    {
        private IndexPlan(long[] baseOffsets, int[] resultShape, int[] trailingShape)
        {
            BaseOffsets = baseOffsets;
            ResultShape = resultShape;
            TrailingShape = trailingShape;
        }

        /// <summary>One offset per index tuple, computed with the strides given to <see cref="Create"/>.</summary>
        public long[] BaseOffsets { get; }
        public int[] ResultShape { get; }
        public int[] TrailingShape { get; }
        public int BlockSize => Shapes.Size(TrailingShape);

        public static IndexPlan Create(NDArray a, NDArray[] indices)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(indices);
            if (indices.Length == 0)
                throw new ArgumentException("advanced indexing needs at least one index array", nameof(indices));
            if (indices.Length > a.ndim)
                throw new IndexOutOfRangeException(
                    $"too many indices for array: array is {a.ndim}-dimensional, but {indices.Length} were indexed");
            for (var i = 0; i < indices.Length; i++)
                if (!indices[i].DType.IsInteger)
                    throw new ArgumentException(
                        $"index array {i} must have an integer dtype, got {indices[i].DType}", nameof(indices));
            var indexShape = Shapes.Broadcast(indices.Select(i => i.Dims).ToArray());
            var count = Shapes.Size(indexShape);
            var strides = Shapes.ContiguousStrides(a.Dims);
            var offsets = new long[count];
            for (var axis = 0; axis < indices.Length; axis++)
            {
                var values = indices[axis].BroadcastTo(indexShape).ToFlatArray<long>();
                var n = a.Dims[axis];
                for (var j = 0; j < count; j++)
                {
                    var index = values[j];
                    if (index < -n || index >= n)
                        throw new IndexOutOfRangeException(
                            $"index {index} is out of bounds for axis {axis} with size {n}");
                    offsets[j] += (index < 0 ? index + n : index) * strides[axis];
                }
            }
            var trailing = a.Dims[indices.Length..];
            return new IndexPlan(offsets, [.. indexShape, .. trailing], trailing);
        }
    }

    private readonly struct Gather(NDArray source, IndexPlan plan, NDArray result) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            ReadOnlySpan<T> from = source.Span<T>();
            var to = result.Span<T>();
            var block = plan.BlockSize;
            for (var j = 0; j < plan.BaseOffsets.Length; j++)
                from.Slice((int)plan.BaseOffsets[j], block).CopyTo(to.Slice(j * block, block));
            return true;
        }
    }

    private readonly struct Scatter(NDArray target, IndexPlan plan, NDArray values) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, INumber<T>
        {
            var block = plan.BlockSize;
            ReadOnlySpan<T> from = values.Span<T>();
            if (target.IsContiguous)
            {
                var to = target.Span<T>();
                for (var j = 0; j < plan.BaseOffsets.Length; j++)
                {
                    var row = to.Slice((int)plan.BaseOffsets[j], block);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, from.Slice(j * block, block), row);
                }
                return true;
            }
            // A strided target: walk each selected block through the target's own strides.
            var storage = target.Storage<T>();
            var logical = Shapes.ContiguousStrides(target.Dims);
            var trailing = plan.TrailingShape;
            var leading = target.ndim - trailing.Length;
            for (var j = 0; j < plan.BaseOffsets.Length; j++)
            {
                var start = target.Offset;
                var rest = plan.BaseOffsets[j];
                for (var axis = 0; axis < leading; axis++)
                {
                    start += (int)(rest / logical[axis]) * target.Strides[axis];
                    rest %= logical[axis];
                }
                for (var e = 0; e < block; e++)
                {
                    var offset = start;
                    var remainder = e;
                    for (var axis = trailing.Length - 1; axis >= 0; axis--)
                    {
                        offset += remainder % trailing[axis] * target.Strides[leading + axis];
                        remainder /= trailing[axis];
                    }
                    storage[offset] += from[j * block + e];
                }
            }
            return true;
        }
    }
}
