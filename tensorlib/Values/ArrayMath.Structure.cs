namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>
    /// numpy.concatenate: arrays equal in every axis but <paramref name="axis"/>, upcast to one dtype.
    /// </summary>
    public static NDArray Concatenate(IReadOnlyList<NDArray> arrays, int axis)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 0)
            throw new ArgumentException("need at least one array to concatenate", nameof(arrays));
        var first = arrays[0];
        if (first.ndim == 0)
            throw new ArgumentException("zero-dimensional arrays cannot be concatenated", nameof(arrays));
        axis = Shapes.NormalizeAxis(axis, first.ndim);
        var shape = first.shape;
        shape[axis] = 0;
        for (var i = 0; i < arrays.Count; i++)
        {
            var array = arrays[i];
            if (array.ndim != first.ndim)
                throw new ArgumentException(
                    $"all the input arrays must have same number of dimensions, but the array at index 0 has " +
                    $"{first.ndim} dimension(s) and the array at index {i} has {array.ndim} dimension(s)",
                    nameof(arrays));
            for (var d = 0; d < first.ndim; d++)
                if (d != axis && array.Dims[d] != first.Dims[d])
                    throw new ArgumentException(
                        $"all the input array dimensions except for the concatenation axis must match exactly, but " +
                        $"along dimension {d}, the array at index 0 has size {first.Dims[d]} and the array at index " +
                        $"{i} has size {array.Dims[d]}", nameof(arrays));
            shape[axis] += array.Dims[axis];
        }
        var result = new NDArray(DType.Upcast(arrays.Select(a => a.DType).ToArray()), shape);
        var start = 0;
        foreach (var array in arrays)
        {
            var length = array.Dims[axis];
            result.Slice(axis, start, start + length).CopyFrom(array);
            start += length;
        }
        return result;
    }

    /// <summary>numpy.stack: equal-shaped arrays joined along a new axis.</summary>
    public static NDArray Stack(IReadOnlyList<NDArray> arrays, int axis)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 0)
            throw new ArgumentException("need at least one array to stack", nameof(arrays));
        for (var i = 1; i < arrays.Count; i++)
            if (!Shapes.SameShape(arrays[i].Dims, arrays[0].Dims))
                throw new ArgumentException(
                    $"all input arrays must have the same shape, but the array at index 0 has shape " +
                    $"{NDArray.ShapeString(arrays[0].Dims)} and the array at index {i} has shape " +
                    $"{NDArray.ShapeString(arrays[i].Dims)}", nameof(arrays));
        axis = Shapes.NormalizeAxis(axis, arrays[0].ndim + 1);
        return Concatenate(arrays.Select(a => a.ExpandDims(axis)).ToArray(), axis);
    }

    /// <summary>
    /// numpy.arange: ceil((stop - start) / step) values start + i * step, cast to <paramref name="dtype"/>.
    /// </summary>
    public static NDArray Arange(double start, double stop, double step, DType dtype)
    {
        if (step == 0 || double.IsNaN(step))
            throw new ArgumentException("arange: step must be a nonzero number", nameof(step));
        var count = Math.Max(0, Math.Ceiling((stop - start) / step));
        if (count > int.MaxValue)
            throw new ArgumentException($"arange: {count} values are too many", nameof(stop));
        var values = new double[(int)count];
        for (var i = 0; i < values.Length; i++)
            values[i] = start + i * step;
        return Conversion.Cast(NDArray.Wrap(values, values.Length), dtype);
    }
}
