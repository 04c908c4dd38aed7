using Theon.Values;

namespace Theon;

public sealed partial class NDArray
{
    // A bare C# number is a weak 0-d array: `a * 0.5` keeps a float32 array float32, as in numpy.
    public static implicit operator NDArray(double v) => WeakScalar(v);
    public static implicit operator NDArray(float v) => WeakScalar(v);
    public static implicit operator NDArray(long v) => WeakScalar(v);
    public static implicit operator NDArray(int v) => WeakScalar(v);
    public static implicit operator NDArray(bool v) => WeakScalar(v);

    public static implicit operator NDArray(double[] v) => FromArray(v);
    public static implicit operator NDArray(float[] v) => FromArray(v);
    public static implicit operator NDArray(int[] v) => FromArray(v);
    public static implicit operator NDArray(long[] v) => FromArray(v);
    public static implicit operator NDArray(bool[] v) => FromArray(v);
    public static implicit operator NDArray(byte[] v) => FromArray(v);
    public static implicit operator NDArray(double[,] v) => FromArray(v);
    public static implicit operator NDArray(float[,] v) => FromArray(v);
    public static implicit operator NDArray(int[,] v) => FromArray(v);
    public static implicit operator NDArray(long[,] v) => FromArray(v);
    public static implicit operator NDArray(double[,,] v) => FromArray(v);
    public static implicit operator NDArray(float[,,] v) => FromArray(v);

    public static explicit operator double(NDArray a) => a.OnlyElement<double>();
    public static explicit operator float(NDArray a) => a.OnlyElement<float>();
    public static explicit operator long(NDArray a) => a.OnlyElement<long>();
    public static explicit operator int(NDArray a) => a.OnlyElement<int>();
    public static explicit operator bool(NDArray a) => a.OnlyElement<bool>();

    /// <summary>The only element of a size-1 array (numpy's item()).</summary>
    internal T OnlyElement<T>()
    {
        ArgumentNullException.ThrowIfNull(this);
        if (size != 1)
            throw new InvalidCastException(
                $"only size-1 arrays can be converted to {typeof(T).Name}, " +
                $"got an array of shape {ShapeString(_shape)}");
        return View(Offset, [], []).ToFlatArray<T>()[0];
    }

    /// <summary>A C-order copy of the elements converted to <typeparamref name="T"/>.</summary>
    public T[] ToFlatArray<T>()
    {
        var converted = Conversion.Cast(this, DType.Of<T>());
        return (T[])converted.Buffer;
    }

    /// <summary>
    /// A copy as a C# array of the element type with this array's rank (double[,] for a float64 matrix).
    /// A 0-d array gives a 1-element 1-d array, since a rank-0 C# array does not exist.
    /// </summary>
    public Array ToArray()
    {
        var flat = Conversion.Cast(this, DType).Buffer;
        if (ndim <= 1)
            return flat;
        var result = Array.CreateInstance(DType.ClrType, _shape);
        if (size > 0)
            System.Buffer.BlockCopy(flat, 0, result, 0, size * DType.ItemSize);
        return result;
    }

    /// <summary>The element at <paramref name="index"/> (one index per axis, negative counts from the end).</summary>
    public T GetItem<T>(params int[] index) => View(ElementOffset(index), [], []).ToFlatArray<T>()[0];

    /// <summary>
    /// Sets the element at <paramref name="index"/>, converting <paramref name="value"/> to the dtype.
    /// </summary>
    public void SetItem<T>(T value, params int[] index)
    {
        var source = FromArray(new[] { value }).reshape();
        View(ElementOffset(index), [], []).CopyFrom(source);
    }

    private int ElementOffset(int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != ndim)
            throw new IndexOutOfRangeException(
                $"expected {ndim} indices for an array of shape {ShapeString(_shape)}, got {index.Length}");
        var offset = Offset;
        for (var axis = 0; axis < ndim; axis++)
            offset += NormalizeIndex(index[axis], axis) * Strides[axis];
        return offset;
    }
}
