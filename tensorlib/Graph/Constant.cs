using System.Globalization;

namespace Theon;

/// <summary>A variable whose value is fixed when the graph is built. Printed as Theano prints it: <c>TensorConstant{3}</c>.</summary>
public sealed class Constant : Variable
{
    public Constant(NDArray data, string? name = null)
        : base(new TensorType(data.DType, data.shape.Select(n => n == 1)), null, 0, name)
    {
        this.data = data;
        tag.SetComputed(data);
    }

    public NDArray data { get; }

    /// <summary>
    /// True for a constant made from a C# double where a tensor was expected (<c>x * 0.5</c>): like a Python scalar
    /// in NumPy 2 or JAX, it takes the float dtype of the tensors it meets (see <see cref="Ops.Elemwise"/>).
    /// </summary>
    internal bool IsFloatLiteral { get; init; }

    /// <summary>A key equal for constants of the same type and value, so that equal constants merge.</summary>
    internal string Signature => signature ??= $"{type}|{NDArray.ShapeString(data.shape)}|{string.Join(",", data.ToFlatArray<double>().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}";

    private string? signature;

    /// <summary>The scalar value, when the constant holds exactly one element.</summary>
    internal double? ScalarValue => data.size == 1 ? (double)data : null;

    public override string ToString() => name ?? $"TensorConstant{{{FormatValue(data)}}}";

    internal static string FormatValue(NDArray value)
    {
        if (value.ndim == 0)
        {
            var v = (double)value;
            if (value.DType.IsBool) return v != 0 ? "True" : "False";
            if (!value.DType.IsFloat) return ((long)v).ToString(CultureInfo.InvariantCulture);
            return FormatFloat(v);
        }
        var flat = value.ToFlatArray<double>();
        string Item(double v) => value.DType.IsFloat ? FormatFloat(v) : ((long)v).ToString(CultureInfo.InvariantCulture);
        if (flat.Length > 0 && flat.All(v => v.Equals(flat[0]))) return $"{NDArray.ShapeString(value.shape)} of {Item(flat[0])}";
        if (value.size > 20) return $"{NDArray.ShapeString(value.shape)} of {value.dtype}";
        var items = flat.Select(Item);
        return value.ndim == 1 ? $"[{string.Join(" ", items)}]" : $"{NDArray.ShapeString(value.shape)} [{string.Join(" ", items)}]";
    }

    /// <summary>Python's float repr: the shortest round-trip digits, with ".0" for integral values.</summary>
    internal static string FormatFloat(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E'))
        {
            var parts = s.Split('E');
            var exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        return s.Contains('.') ? s : s + ".0";
    }
}

/// <summary>
/// A variable with a value that persists across calls of compiled functions and that <c>updates</c> may change.
/// </summary>
public sealed class SharedVariable : Variable
{
    private NDArray container;

    internal SharedVariable(NDArray value, string? name, bool[]? broadcastable)
        : base(new TensorType(value.DType, broadcastable ?? new bool[value.ndim]), null, 0, name)
    {
        if (broadcastable is not null && broadcastable.Length != value.ndim)
            throw new ArgumentException(
                $"shared {name ?? "variable"}: broadcastable has {broadcastable.Length} entries, the value has {value.ndim} dimensions.");
        container = type.Filter(value, $"shared {name ?? "variable"}");
        tag.SetComputed(container);
    }

    /// <summary>The value. Without <paramref name="borrow"/> a copy, so that changing it does not change the variable.</summary>
    public NDArray get_value(bool borrow = false) => borrow ? container : container.Copy();

    /// <summary>Replaces the value after checking its dtype and shape against the variable's type.</summary>
    public void set_value(NDArray value, bool borrow = false)
    {
        var filtered = type.Filter(value, $"set_value of {this}");
        container = borrow || !ReferenceEquals(filtered, value) ? filtered : filtered.Copy();
        tag.SetComputed(container);
    }

    internal NDArray Value => container;

    /// <summary>Installs an update computed by a compiled function (already checked against the type and shape).</summary>
    internal void Assign(NDArray value)
    {
        container = value;
        tag.SetComputed(container);
    }
}
