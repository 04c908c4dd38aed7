using Theon.Ops;

namespace Theon;

/// <summary>The public entry point: <c>using static Theon.T;</c> brings Theano's lower-case API into scope.</summary>
public static partial class T
{
    private static DType FloatX => DType.Parse(config.floatX);

    public static Variable tensor(string dtype, bool[] broadcastable, string? name = null) =>
        new(new TensorType(DType.Parse(dtype), broadcastable), name: name);

    public static Variable scalar(string? name = null) => tensor(config.floatX, [], name);
    public static Variable vector(string? name = null) => tensor(config.floatX, [false], name);
    public static Variable matrix(string? name = null) => tensor(config.floatX, [false, false], name);
    public static Variable row(string? name = null) => tensor(config.floatX, [true, false], name);
    public static Variable col(string? name = null) => tensor(config.floatX, [false, true], name);
    public static Variable tensor3(string? name = null) => tensor(config.floatX, [false, false, false], name);
    public static Variable tensor4(string? name = null) => tensor(config.floatX, [false, false, false, false], name);

    public static Variable dscalar(string? name = null) => tensor("float64", [], name);
    public static Variable dvector(string? name = null) => tensor("float64", [false], name);
    public static Variable dmatrix(string? name = null) => tensor("float64", [false, false], name);
    public static Variable dtensor3(string? name = null) => tensor("float64", [false, false, false], name);
    public static Variable dtensor4(string? name = null) => tensor("float64", [false, false, false, false], name);
    public static Variable fscalar(string? name = null) => tensor("float32", [], name);
    public static Variable fvector(string? name = null) => tensor("float32", [false], name);
    public static Variable fmatrix(string? name = null) => tensor("float32", [false, false], name);
    public static Variable ftensor3(string? name = null) => tensor("float32", [false, false, false], name);
    public static Variable ftensor4(string? name = null) => tensor("float32", [false, false, false, false], name);
    public static Variable iscalar(string? name = null) => tensor("int32", [], name);
    public static Variable ivector(string? name = null) => tensor("int32", [false], name);
    public static Variable imatrix(string? name = null) => tensor("int32", [false, false], name);
    public static Variable itensor3(string? name = null) => tensor("int32", [false, false, false], name);
    public static Variable lscalar(string? name = null) => tensor("int64", [], name);
    public static Variable lvector(string? name = null) => tensor("int64", [false], name);
    public static Variable lmatrix(string? name = null) => tensor("int64", [false, false], name);
    public static Variable bscalar(string? name = null) => tensor("int8", [], name);
    public static Variable bvector(string? name = null) => tensor("int8", [false], name);
    public static Variable bmatrix(string? name = null) => tensor("int8", [false, false], name);

    /// <summary>A constant. A C# integer gets the smallest int dtype that holds it and a double gets floatX, as Theano's autocasting does.</summary>
    public static Constant constant(object value, string? name = null) => new(ConstantValue(value), name);

    internal static NDArray ConstantValue(object value) => value switch
    {
        NDArray a => a,
        double d => NDArray.Scalar(d, FloatX),
        float f => NDArray.Scalar(f),
        int or long or short or sbyte or byte => NDArray.Scalar(Convert.ToInt64(value), SmallestInt(Convert.ToInt64(value))),
        bool b => NDArray.Scalar(b),
        Array a => NDArray.FromArray(a),
        _ => throw new ArgumentException($"constant: cannot make a tensor constant of a {value.GetType().Name}."),
    };

    private static DType SmallestInt(long v) => v switch
    {
        >= sbyte.MinValue and <= sbyte.MaxValue => DType.Int8,
        >= short.MinValue and <= short.MaxValue => DType.Int16,
        >= int.MinValue and <= int.MaxValue => DType.Int32,
        _ => DType.Int64,
    };

    /// <summary>
    /// A shared variable holding <paramref name="value"/>. Without <paramref name="borrow"/> the value is copied, so
    /// later changes to the caller's array do not reach the variable.
    /// </summary>
    public static SharedVariable shared(NDArray value, string? name = null, bool borrow = false, bool[]? broadcastable = null) =>
        new(borrow ? value : value.Copy(), name, broadcastable);
}
