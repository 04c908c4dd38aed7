namespace Theon.Values;

/// <summary>Shape arithmetic shared by arrays and kernels: sizes, strides, broadcasting, axes.</summary>
internal static class Shapes
{
    /// <summary>numpy's reshape target: <paramref name="shape"/> with its one -1 resolved from the size of
    /// <paramref name="from"/>; an error names both shapes when the sizes differ.</summary>
    public static int[] Reshaped(int[] from, int[] shape)
    {
        var size = Size(from);
        var target = (int[])shape.Clone();
        var unknown = -1;
        var known = 1;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (unknown >= 0)
                    throw new ArgumentException("can only specify one unknown dimension", nameof(shape));
                unknown = i;
            }
            else if (target[i] < 0)
                throw new ArgumentException(
                    $"negative dimensions are not allowed, got shape {NDArray.ShapeString(shape)}", nameof(shape));
            else
                known *= target[i];
        }
        if (unknown >= 0 && known != 0 && size % known == 0)
            target[unknown] = size / known;
        if (unknown >= 0 && target[unknown] == -1 || Size(target) != size)
            throw new ArgumentException($"cannot reshape array of size {size} and shape " +
                $"{NDArray.ShapeString(from)} into shape {NDArray.ShapeString(shape)}", nameof(shape));
        return target;
    }

    public static string ToString(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape.ToArray()) + ")",
    };

    public static int Size(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (var d in shape)
            size *= d;
        if (size > int.MaxValue)
            throw new ArgumentException($"array of shape {ToString(shape)} has more than {int.MaxValue} elements");
        return (int)size;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static void Validate(ReadOnlySpan<int> shape, string parameter)
    {
        foreach (var d in shape)
            if (d < 0)
                throw new ArgumentException($"negative dimensions are not allowed, got shape {ToString(shape)}",
                    parameter);
    }

    /// <summary>numpy's broadcast of several shapes; the error names every shape.</summary>
    public static int[] Broadcast(params int[][] shapes)
    {
        var ndim = 0;
        foreach (var s in shapes)
            ndim = Math.Max(ndim, s.Length);
        var result = new int[ndim];
        result.AsSpan().Fill(1);
        foreach (var s in shapes)
        {
            for (var i = 0; i < s.Length; i++)
            {
                var r = ndim - s.Length + i;
                if (s[i] == result[r] || s[i] == 1)
                    continue;
                if (result[r] != 1)
                    throw new ArgumentException("operands could not be broadcast together with shapes " +
                        string.Join(" ", shapes.Select(x => ToString(x))));
                result[r] = s[i];
            }
        }
        return result;
    }

    /// <summary>Whether <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool CanBroadcastTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length)
            return false;
        var lead = to.Length - from.Length;
        for (var i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[lead + i])
                return false;
        return true;
    }

    public static int NormalizeAxis(int axis, int ndim, string? what = null)
    {
        if (axis < -ndim || axis >= ndim)
            throw new ArgumentOutOfRangeException(nameof(axis),
                $"{what ?? "axis"} {axis} is out of bounds for array of dimension {ndim}");
        return axis < 0 ? axis + ndim : axis;
    }

    /// <summary>Normalized, sorted, distinct-checked axes; null means every axis.</summary>
    public static int[] NormalizeAxes(int[]? axes, int ndim)
    {
        if (axes is null)
            return Enumerable.Range(0, ndim).ToArray();
        var result = new int[axes.Length];
        for (var i = 0; i < axes.Length; i++)
            result[i] = NormalizeAxis(axes[i], ndim);
        Array.Sort(result);
        for (var i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1])
                throw new ArgumentException($"duplicate value in 'axis': ({string.Join(", ", axes)})", nameof(axes));
        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
