namespace Theon.Backends.Cpu;

/// <summary>
/// One buffer of the static memory plan, shared by intermediate results whose lifetimes do not overlap. It grows
/// to the largest size asked of it and is then reused by every call.
/// </summary>
internal sealed class StorageGroup(DType dtype)
{
    public DType DType { get; } = dtype;

    public Array Array { get; private set; } = System.Array.CreateInstance(dtype.ClrType, 0);

    public Array Ensure(int size)
    {
        if (Array.Length < size) Array = System.Array.CreateInstance(DType.ClrType, size);
        return Array;
    }
}

/// <summary>The planned output of one node: a C-contiguous view of its group's buffer, kept while the shape
/// holds.</summary>
internal sealed class SlotBuffer(StorageGroup group)
{
    private NDArray? view;

    public StorageGroup Group { get; } = group;

    public NDArray Get(ReadOnlySpan<int> shape)
    {
        var size = 1;
        foreach (var n in shape) size *= n;
        var array = Group.Ensure(size);
        if (view is not null && ReferenceEquals(view.Buffer, array) && view.Dims.AsSpan().SequenceEqual(shape))
            return view;
        var dims = shape.ToArray();
        return view = new NDArray(Group.DType, array, 0, dims, Values.Shapes.ContiguousStrides(dims));
    }
}
