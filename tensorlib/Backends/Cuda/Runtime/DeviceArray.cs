namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// An n-dimensional array in device memory: a view (element strides, element offset) of an allocation, as NDArray is
/// of a managed buffer. Broadcast axes have stride 0; transposes and dimshuffles are views.
/// </summary>
public sealed class DeviceArray
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
    public static DeviceArray Allocate(CudaDevice device, DType dtype, int[] shape)
    {
        var size = shape.Aggregate(1L, (a, b) => a * b);
        return new DeviceArray(device.Allocate(size * dtype.ItemSize), dtype, shape, ContiguousStrides(shape));
    }

    public DeviceArray View(int[] shape, long[] strides, long offset) => new(Memory, DType, shape, strides, offset);

    public DeviceArray Reshaped(int[] shape) => IsContiguous
        ? new(Memory, DType, shape, ContiguousStrides(shape), Offset)
        : throw new InvalidOperationException("only a contiguous device array reshapes as a view.");

    public override string ToString() => $"DeviceArray({DType}, {NDArray.ShapeString(Shape)})";
}
