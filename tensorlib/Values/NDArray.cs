using System.Runtime.InteropServices;
using Theon.Values;

namespace Theon;

/// <summary>
/// An n-dimensional array: a flat typed CLR buffer, an element offset, a shape and strides in elements (0 for a
/// broadcast axis, negative for a reversed one). Views share the buffer; kernels return new C-contiguous arrays.
/// </summary>
public sealed partial class NDArray : ISliceable<NDArray>
{
    private readonly int[] _shape;

    internal NDArray(DType dtype, Array buffer, int offset, int[] shape, int[] strides)
    {
        DType = dtype;
        Buffer = buffer;
        Offset = offset;
        _shape = shape;
        Strides = strides;
        size = Shapes.Size(shape);
        IsContiguous = ComputeContiguous(shape, strides);
    }

    /// <summary>A new zero-filled C-contiguous array.</summary>
    internal NDArray(DType dtype, int[] shape)
        : this(dtype, Array.CreateInstance(dtype.ClrType, Shapes.Size(shape)), 0, shape,
            Shapes.ContiguousStrides(shape))
    {
    }

    internal Array Buffer { get; }
    internal int Offset { get; }
    internal int[] Strides { get; }
    /// <summary>The shape without a copy; callers must not mutate it.</summary>
    internal int[] Dims => _shape;

    public DType DType { get; }
    public string dtype => DType.Name;
    public int[] shape => (int[])_shape.Clone();
    public int ndim => _shape.Length;
    public int size { get; }
    public bool IsContiguous { get; }

    /// <summary>
    /// Set for 0-d arrays made from a bare C# number, which do not widen an array's dtype in operators.
    /// </summary>
    internal bool IsWeakScalar { get; private init; }

    private static bool ComputeContiguous(int[] shape, int[] strides)
    {
        var expected = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1)
                continue;
            if (shape[i] == 0)
                return true;
            if (strides[i] != expected)
                return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>The whole backing buffer as <typeparamref name="T"/>; bool storage reads as byte.</summary>
    internal Span<T> Storage<T>() where T : unmanaged
    {
        if (Buffer is T[] typed)
            return typed;
        if (typeof(T) == typeof(byte) && Buffer is bool[] flags)
            return MemoryMarshal.Cast<bool, T>(flags.AsSpan());
        throw new InvalidOperationException(
            $"array of dtype {dtype} has no {typeof(T).Name} storage");
    }

    /// <summary>The contiguous elements of this array.</summary>
    internal Span<T> Span<T>() where T : unmanaged
    {
        if (!IsContiguous)
            throw new InvalidOperationException($"array of shape {ShapeString(_shape)} is not contiguous");
        if (typeof(T) != DType.ClrType && !(typeof(T) == typeof(byte) && DType.IsBool))
            throw new InvalidOperationException($"array of dtype {dtype} cannot be read as {typeof(T).Name}");
        return Storage<T>().Slice(Offset, size);
    }

    public static string ShapeString(int[] shape) => Shapes.ToString(shape);

    // ---- construction ----

    /// <summary>A copy of a rectangular C# array of any rank and of one of the eight element types.</summary>
    public static NDArray FromArray(Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var elementType = values.GetType().GetElementType()!;
        var dtype = DType.Of(elementType);
        var shape = new int[values.Rank];
        for (var i = 0; i < shape.Length; i++)
            shape[i] = values.GetLength(i);
        var result = new NDArray(dtype, shape);
        if (values.Length > 0)
        {
            var bytes = checked(values.Length * dtype.ItemSize);
            System.Buffer.BlockCopy(values, 0, result.Buffer, 0, bytes);
        }
        return result;
    }

    public static NDArray Scalar<T>(T value) where T : unmanaged
    {
        var result = new NDArray(DType.Of<T>(), []);
        ((T[])result.Buffer)[0] = value;
        return result;
    }

    public static NDArray Scalar(double value, DType dtype) => Full(value, dtype);

    public static NDArray Zeros(DType dtype, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        ArgumentNullException.ThrowIfNull(shape);
        Shapes.Validate(shape, nameof(shape));
        return new NDArray(dtype, (int[])shape.Clone());
    }

    public static NDArray Full(double value, DType dtype, params int[] shape)
    {
        var result = Zeros(dtype, shape);
        if (value != 0)
            result.CopyFrom(Scalar(value));
        return result;
    }

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    internal static NDArray Wrap<T>(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shapes.Validate(shape, nameof(shape));
        if (Shapes.Size(shape) != data.Length)
            throw new ArgumentException(
                $"cannot wrap {data.Length} elements as shape {ShapeString(shape)}", nameof(shape));
        return new NDArray(DType.Of<T>(), data, 0, (int[])shape.Clone(), Shapes.ContiguousStrides(shape));
    }

    internal NDArray View(int offset, int[] shape, int[] strides) => new(DType, Buffer, offset, shape, strides);

    internal static NDArray WeakScalar<T>(T value) where T : unmanaged
    {
        var result = new NDArray(DType.Of<T>(), Array.CreateInstance(typeof(T), 1), 0, [], []) { IsWeakScalar = true };
        ((T[])result.Buffer)[0] = value;
        return result;
    }
}
