using Theon.Values;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// An n-dimensional array in device memory: a view (element strides, element offset) of an allocation, as NDArray is
/// of a managed buffer. Broadcast axes have stride 0; transposes and dimshuffles are views.
/// </summary>
public sealed class DeviceArray : ISliceable<DeviceArray>
{
    public DeviceArray(DeviceMemory memory, DType dtype, int[] shape, long[] strides, long offset = 0)
    {
        if (strides.Length != shape.Length)
            throw new ArgumentException($"{strides.Length} strides for a shape of {shape.Length} dimension(s).");
        (Memory, DType, Shape, Strides, Offset) = (memory, dtype, shape, strides, offset);
    }

    public DeviceMemory Memory { get; }
    public DType DType { get; }
    public int[] Shape { get; }
    public long[] Strides { get; }
    public long Offset { get; }

    public int Ndim => Shape.Length;
    public long Size => Shape.Aggregate(1L, (a, b) => a * b);
    public ulong Pointer => Memory.Pointer + (ulong)(Offset * DType.ItemSize);

    public bool IsContiguous
    {
        get
        {
            var expected = ContiguousStrides(Shape);
            return Enumerable.Range(0, Ndim).All(axis => Shape[axis] <= 1 || Strides[axis] == expected[axis]);
        }
    }

    public static long[] ContiguousStrides(IReadOnlyList<int> shape)
    {
        var strides = new long[shape.Count];
        var stride = 1L;
        for (var axis = shape.Count - 1; axis >= 0; axis--)
        {
            strides[axis] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }
        return strides;
    }

    /// <summary>A fresh contiguous array; its memory belongs to the caller.</summary>
    public static DeviceArray Allocate(Device device, DType dtype, int[] shape)
    {
        var size = shape.Aggregate(1L, (a, b) => a * b);
        return new DeviceArray(device.Allocate(size * dtype.ItemSize), dtype, shape, ContiguousStrides(shape));
    }

    /// <summary>A fresh contiguous array for a temporary of the running call
    /// (<see cref="Device.AllocateTemporary"/>).</summary>
    public static DeviceArray Temporary(Device device, DType dtype, int[] shape)
    {
        var size = shape.Aggregate(1L, (a, b) => a * b);
        return new DeviceArray(device.AllocateTemporary(size * dtype.ItemSize), dtype, shape,
            ContiguousStrides(shape));
    }

    public DeviceArray View(int[] shape, long[] strides, long offset) => new(Memory, DType, shape, strides, offset);

    public DeviceArray Reshaped(int[] shape) => IsContiguous
        ? new(Memory, DType, shape, ContiguousStrides(shape), Offset)
        : throw new InvalidOperationException("only a contiguous device array reshapes as a view.");

    /// <summary>Python's slice of one axis, as <see cref="NDArray.Slice"/> takes it: a view.</summary>
    public DeviceArray Slice(int axis, int? start, int? stop, int step)
    {
        var (first, count) = Slices.Resolve(Shape[axis], start, stop, step);
        var shape = (int[])Shape.Clone();
        var strides = (long[])Strides.Clone();
        shape[axis] = count;
        strides[axis] = Strides[axis] * step;
        return View(shape, strides, count == 0 ? Offset : Offset + first * Strides[axis]);
    }

    public int Length(int axis) => Shape[axis];

    /// <summary>The view without axis <paramref name="axis"/>, which has length 1.</summary>
    public DeviceArray Squeezed(int axis) => View([.. Shape.Where((_, a) => a != axis)],
        [.. Strides.Where((_, a) => a != axis)], Offset);

    /// <summary>For a matrix: whether it is stored row by row or column by column (a transposed view) with unit
    /// steps, and its row length as stored; cuBLAS takes either without a copy.</summary>
    public (bool Transposed, int Leading)? MatrixLayout()
    {
        if (Ndim != 2) return null;
        var (rows, columns) = (Shape[0], Shape[1]);
        if ((columns == 1 || Strides[1] == 1) && (rows == 1 || Strides[0] == columns))
            return (false, Math.Max(columns, 1));
        if ((rows == 1 || Strides[0] == 1) && (columns == 1 || Strides[1] == rows)) return (true, Math.Max(rows, 1));
        return null;
    }

    public override string ToString() => $"DeviceArray({DType}, {NDArray.ShapeString(Shape)})";
}
