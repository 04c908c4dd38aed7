using Theon.Values;

namespace Theon;

public sealed partial class NDArray
{
    /// <summary>The same elements in a new shape; a view when this array is contiguous. One -1 is inferred.</summary>
    public NDArray reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = Shapes.Reshaped(_shape, shape);
        var source = AsContiguous();
        return source.View(source.Offset, target, Shapes.ContiguousStrides(target));
    }

    /// <summary>A new array converted to <paramref name="dtype"/> (numpy always copies).</summary>
    public NDArray astype(DType dtype)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        return Conversion.Cast(this, dtype);
    }

    public NDArray astype(string dtype) => astype(DType.Parse(dtype));

    /// <summary>The transpose: the axes reversed, as a view.</summary>
    public NDArray T => transpose();

    /// <summary>A view with permuted axes; no argument reverses them.</summary>
    public NDArray transpose(params int[] axes)
    {
        if (axes is null || axes.Length == 0)
            axes = Enumerable.Range(0, ndim).Reverse().ToArray();
        if (axes.Length != ndim)
            throw new ArgumentException(
                $"axes ({string.Join(", ", axes)}) don't match array of shape {ShapeString(_shape)}", nameof(axes));
        var seen = new bool[ndim];
        var shape = new int[ndim];
        var strides = new int[ndim];
        for (var i = 0; i < ndim; i++)
        {
            var axis = Shapes.NormalizeAxis(axes[i], ndim);
            if (seen[axis])
                throw new ArgumentException($"repeated axis in transpose: ({string.Join(", ", axes)})", nameof(axes));
            seen[axis] = true;
            shape[i] = _shape[axis];
            strides[i] = Strides[axis];
        }
        return View(Offset, shape, strides);
    }

    /// <summary>
    /// a[i]: a view without the first axis; negative i counts from the end. Assigning writes into that view
    /// (broadcasting and converting the value), as numpy's a[i] = value.
    /// </summary>
    public NDArray this[int i]
    {
        get
        {
            if (ndim == 0)
                throw new IndexOutOfRangeException(
                    "too many indices for array: array is 0-dimensional, but 1 were indexed");
            var index = NormalizeIndex(i, 0);
            return View(Offset + index * Strides[0], _shape[1..], Strides[1..]);
        }
        set => this[i].CopyFrom(value);
    }

    /// <summary>a[i, j, ...]: a view without the indexed leading axes; assigning writes into it.</summary>
    public NDArray this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            if (index.Length > ndim)
                throw new IndexOutOfRangeException(
                    $"too many indices for array: array is {ndim}-dimensional, but {index.Length} were indexed");
            var offset = Offset;
            for (var axis = 0; axis < index.Length; axis++)
                offset += NormalizeIndex(index[axis], axis) * Strides[axis];
            return View(offset, _shape[index.Length..], Strides[index.Length..]);
        }
        set => this[index].CopyFrom(value);
    }

    private int NormalizeIndex(int index, int axis)
    {
        var n = _shape[axis];
        if (index < -n || index >= n)
            throw new IndexOutOfRangeException($"index {index} is out of bounds for axis {axis} with size {n}");
        return index < 0 ? index + n : index;
    }

    int ISliceable<NDArray>.Length(int axis) => _shape[axis];

    NDArray ISliceable<NDArray>.Slice(int axis, int? start, int? stop, int step) => Slice(axis, start, stop, step);

    NDArray ISliceable<NDArray>.Squeezed(int axis) => Squeeze(axis);

    /// <summary>
    /// a[start:stop:step] along <paramref name="axis"/>, a view with numpy's clamping rules; a negative step gives
    /// a view with a negative stride.
    /// </summary>
    public NDArray Slice(int axis, int? start, int? stop, int step = 1)
    {
        axis = Shapes.NormalizeAxis(axis, ndim);
        if (step == 0)
            throw new ArgumentException("slice step cannot be zero", nameof(step));
        var (first, count) = Slices.Resolve(_shape[axis], start, stop, step);
        var shape = (int[])_shape.Clone();
        var strides = (int[])Strides.Clone();
        shape[axis] = count;
        strides[axis] = Strides[axis] * step;
        var offset = count == 0 ? Offset : Offset + first * Strides[axis];
        return View(offset, shape, strides);
    }

    /// <summary>
    /// A read-only-by-convention view of this array broadcast to <paramref name="shape"/> (stride 0).
    /// </summary>
    public NDArray BroadcastTo(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (Shapes.SameShape(shape, _shape))
            return this;
        if (!Shapes.CanBroadcastTo(_shape, shape))
            throw BroadcastError(shape);
        var strides = new int[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            var j = i - (shape.Length - ndim);
            if (j < 0)
                continue;
            if (_shape[j] == shape[i])
                strides[i] = Strides[j];
        }
        return View(Offset, (int[])shape.Clone(), strides);
    }

    private ArgumentException BroadcastError(int[] shape) =>
        new($"cannot broadcast shape {ShapeString(_shape)} to {ShapeString(shape)}", nameof(shape));

    /// <summary>A view with a new axis of length 1 at <paramref name="axis"/> (negative counts from the end).</summary>
    public NDArray ExpandDims(int axis)
    {
        axis = Shapes.NormalizeAxis(axis, ndim + 1);
        var shape = _shape.ToList();
        var strides = Strides.ToList();
        shape.Insert(axis, 1);
        strides.Insert(axis, axis < ndim ? Strides[axis] * _shape[axis] : 1);
        return View(Offset, shape.ToArray(), strides.ToArray());
    }

    /// <summary>A view without the given length-1 axes, or without every length-1 axis when none are given.</summary>
    public NDArray Squeeze(params int[] axes)
    {
        var remove = new bool[ndim];
        if (axes is null || axes.Length == 0)
        {
            for (var i = 0; i < ndim; i++)
                remove[i] = _shape[i] == 1;
        }
        else
        {
            foreach (var a in axes)
            {
                var axis = Shapes.NormalizeAxis(a, ndim);
                if (_shape[axis] != 1)
                    throw new ArgumentException(
                        "cannot select an axis to squeeze out which has size not equal to one: " +
                        $"axis {a} of shape {ShapeString(_shape)}",
                        nameof(axes));
                remove[axis] = true;
            }
        }
        var shape = new List<int>();
        var strides = new List<int>();
        for (var i = 0; i < ndim; i++)
        {
            if (remove[i])
                continue;
            shape.Add(_shape[i]);
            strides.Add(Strides[i]);
        }
        return View(Offset, shape.ToArray(), strides.ToArray());
    }

    /// <summary>A C-contiguous copy.</summary>
    public NDArray Copy()
    {
        var result = new NDArray(DType, shape);
        result.CopyFrom(this);
        return result;
    }

    /// <summary>This array when C-contiguous, else a contiguous copy.</summary>
    public NDArray AsContiguous() => IsContiguous ? this : Copy();

    /// <summary>
    /// Assigns <paramref name="source"/> elementwise into this view, broadcasting and converting it; one block copy
    /// when both are contiguous with one shape and dtype.
    /// </summary>
    public void CopyFrom(NDArray source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (IsContiguous && source.IsContiguous && DType == source.DType
            && _shape.AsSpan().SequenceEqual(source._shape))
        {
            Array.Copy(source.Buffer, source.Offset, Buffer, Offset, size); // safe for overlapping views, as memmove
            return;
        }
        if (!Shapes.CanBroadcastTo(source._shape, _shape))
            throw new ArgumentException(
                $"could not broadcast input array from shape {ShapeString(source._shape)} " +
                $"into shape {ShapeString(_shape)}",
                nameof(source));
        if (ReferenceEquals(source.Buffer, Buffer))
            source = source.Copy(); // the two views may overlap
        Conversion.Into(source, this);
    }

    /// <summary>This array = row <paramref name="row"/> of <paramref name="source"/> (along its first axis); no view
    /// object is made when both are contiguous (a loop's step after step copy).</summary>
    internal void CopyFromRow(NDArray source, int row)
    {
        if (SameRowLayout(source, row, this)) Array.Copy(source.Buffer, source.Offset + row * size, Buffer, Offset, size);
        else CopyFrom(source[row]);
    }

    /// <summary>Row <paramref name="row"/> of this array (along its first axis) = <paramref name="value"/>; no view
    /// object is made when both are contiguous.</summary>
    internal void CopyIntoRow(int row, NDArray value)
    {
        if (SameRowLayout(this, row, value)) Array.Copy(value.Buffer, value.Offset, Buffer, Offset + row * value.size, value.size);
        else this[row].CopyFrom(value);
    }

    private static bool SameRowLayout(NDArray rows, int row, NDArray one) =>
        rows.IsContiguous && one.IsContiguous && rows.DType == one.DType && (uint)row < (uint)rows._shape[0]
        && rows._shape.AsSpan(1).SequenceEqual(one._shape) && !ReferenceEquals(rows.Buffer, one.Buffer);
}
