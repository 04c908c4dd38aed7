namespace Theon;

/// <summary>
/// The type of a symbolic tensor: its element type and, per axis, whether the axis is known to have length 1
/// and so broadcasts (Theano's broadcastable pattern). The number of axes is the pattern's length.
/// </summary>
public sealed class TensorType : IEquatable<TensorType>
{
    public TensorType(DType dtype, IEnumerable<bool> broadcastable)
    {
        this.dtype = dtype;
        this.broadcastable = [.. broadcastable];
    }

    public DType dtype { get; }

    public IReadOnlyList<bool> broadcastable { get; }

    public int ndim => broadcastable.Count;

    public static TensorType Scalar(DType dtype) => new(dtype, []);

    public TensorType WithDType(DType other) => new(other, broadcastable);

    public TensorType WithBroadcastable(IEnumerable<bool> pattern) => new(dtype, pattern);

    /// <summary>Converts a user value into an NDArray of this type, or throws naming <paramref name="what"/>.</summary>
    /// <remarks>
    /// Theano's <c>TensorType.filter</c>: an <see cref="NDArray"/> or a C# array is judged by its dtype, like a numpy
    /// array (safe casts such as int32 to float64 are applied, others refused); a C# number, like a Python number, by
    /// its value, which must convert without change (<c>0</c> for a float32 input, <c>2.0</c> for an int64 one, not
    /// <c>2.5</c>). A C# <c>double</c> for a float32 input when floatX is float32 is rounded, as Theano rounds a
    /// Python float to floatX, unless it overflows.
    /// </remarks>
    public NDArray Filter(object? value, string what)
    {
        var array = value switch
        {
            NDArray a => a,
            null => throw new ArgumentException($"{what}: expected {this}, got null."),
            string s => throw new ArgumentException($"{what}: expected {this}, got the string \"{s}\"."),
            Array a => NDArray.FromArray(a),
            double d => NDArray.Scalar(d),
            float f => NDArray.Scalar(f),
            int i => NDArray.Scalar(i),
            long l => NDArray.Scalar(l),
            short s => NDArray.Scalar(s),
            sbyte s => NDArray.Scalar(s),
            byte b => NDArray.Scalar(b),
            bool b => NDArray.Scalar(b),
            _ => throw new ArgumentException($"{what}: expected {this}, got a value of type {value.GetType().Name}."),
        };
        if (array.ndim != ndim)
            throw new ArgumentException(
                $"{what}: expected {this} with {ndim} dimension(s), got an array of shape {NDArray.ShapeString(array.shape)} ({array.ndim} dimension(s)).");
        for (var axis = 0; axis < ndim; axis++)
        {
            if (broadcastable[axis] && array.shape[axis] != 1)
                throw new ArgumentException(
                    $"{what}: expected {this}, whose axis {axis} is broadcastable (length 1), got shape {NDArray.ShapeString(array.shape)}.");
        }
        if (array.DType == dtype) return array;
        if (DType.CanCastSafely(array.DType, dtype)) return array.astype(dtype);
        if (value is NDArray or Array)
            throw new ArgumentException(
                $"{what}: expected {this}, got an array of dtype {array.dtype}; converting {array.dtype} to {dtype} would lose information (cast it explicitly with astype).");
        var roundsToFloatX = value is double && dtype == DType.Float32 && T.config.floatX == "float32";
        return ByValue(array, roundsToFloatX, what);
    }

    private NDArray ByValue(NDArray scalar, bool roundsToFloatX, string what)
    {
        var converted = scalar.astype(dtype);
        var (given, stored) = ((double)scalar, (double)converted);
        if (given.Equals(stored) || (roundsToFloatX && (double.IsFinite(stored) || !double.IsFinite(given))))
            return converted;
        throw new ArgumentException(
            $"{what}: expected {this}; the {scalar.dtype} value {Constant.FormatValue(scalar)} cannot be " +
            $"stored exactly in {dtype}, it would become {Constant.FormatValue(converted)} (pass a value {dtype} " +
            "holds, or convert it explicitly).");
    }

    public bool Equals(TensorType? other) =>
        other is not null && other.dtype == dtype && other.broadcastable.SequenceEqual(broadcastable);

    public override bool Equals(object? obj) => Equals(obj as TensorType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(dtype);
        foreach (var b in broadcastable) hash.Add(b);
        return hash.ToHashCode();
    }

    public static bool operator ==(TensorType? a, TensorType? b) => a?.Equals(b) ?? b is null;

    public static bool operator !=(TensorType? a, TensorType? b) => !(a == b);

    /// <summary>Theano's form: <c>TensorType(float64, matrix)</c>, <c>TensorType(float32, (False, True, False))</c>.</summary>
    public override string ToString() => $"TensorType({dtype}, {PatternName()})";

    private string PatternName() => broadcastable switch
    {
        [] => "scalar",
        [false] => "vector",
        [true] => "(True,)",
        [false, false] => "matrix",
        [true, false] => "row",
        [false, true] => "col",
        _ => $"({string.Join(", ", broadcastable.Select(b => b ? "True" : "False"))})",
    };
}
