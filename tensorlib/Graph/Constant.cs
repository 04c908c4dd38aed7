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

    /// <summary>
    /// True for an index or slice bound given as a C# integer (<c>x[1]</c>): Theano makes it a <c>ScalarConstant</c>,
    /// printed <c>Constant{1}</c> by <c>pp</c> and <c>debugprint</c>.
    /// </summary>
    internal bool IsIndex { get; private init; }

    internal static Constant Index(long value) => new(NDArray.Scalar(value)) { IsIndex = true };

    /// <summary>A key equal for constants of the same type and value, so that equal constants merge.</summary>
    internal string Signature => signature ??= $"{(IsIndex ? "index|" : "")}{type}|{NDArray.ShapeString(data.shape)}|{string.Join(",", data.ToFlatArray<double>().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}";

    private string? signature;

    /// <summary>The scalar value, when the constant holds exactly one element.</summary>
    internal double? ScalarValue => data.size == 1 ? (double)data : null;

    public override string ToString() => name ?? $"{(IsIndex ? "Constant" : "TensorConstant")}{{{FormatValue(data)}}}";

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
/// A copy of a shared value held somewhere else (a GPU's memory), which a backend may make newer than the host's.
/// </summary>
internal abstract class ValueReplica
{
    public abstract int[] Shape { get; }

    /// <summary>A new host array with the replica's value.</summary>
    public abstract NDArray Download();

    /// <summary>Gives the replica's memory back; the replica is not used afterwards.</summary>
    public abstract void Release();
}

/// <summary>
/// A variable with a value that persists across calls of compiled functions and that <c>updates</c> may change.
/// The value has a version, counted up by every change, and lives on the host, in a <see cref="ValueReplica"/> (the
/// GPU of a CUDA function), or in both: each copy records the version it holds, so no path reads a stale one. A
/// CUDA function's update makes the replica the only current copy; the host copy is downloaded when it is next read.
/// </summary>
public sealed class SharedVariable : Variable
{
    private NDArray host;
    private ValueReplica? replica;
    private long version, hostVersion, replicaVersion = -1;

    internal SharedVariable(NDArray value, string? name, bool[]? broadcastable)
        : base(new TensorType(value.DType, broadcastable ?? new bool[value.ndim]), null, 0, name)
    {
        if (broadcastable is not null && broadcastable.Length != value.ndim)
            throw new ArgumentException(
                $"shared {name ?? "variable"}: broadcastable has {broadcastable.Length} entries, the value has {value.ndim} dimensions.");
        host = type.Filter(value, $"shared {name ?? "variable"}");
        tag.SetSource(() => Value);
    }

    /// <summary>
    /// The value. Without <paramref name="borrow"/> a copy, so that changing it does not change the variable. With
    /// it, the host array itself, which later CPU updates change in place; a value a GPU function updated is
    /// downloaded first, and writing into the returned array is not seen by a GPU that already holds the value.
    /// </summary>
    public NDArray get_value(bool borrow = false) => borrow ? Value : Value.Copy();

    /// <summary>Replaces the value after checking its dtype and shape against the variable's type.</summary>
    public void set_value(NDArray value, bool borrow = false)
    {
        var filtered = type.Filter(value, $"set_value of {this}");
        Assign(borrow || !ReferenceEquals(filtered, value) ? filtered : filtered.Copy());
    }

    /// <summary>
    /// Theano's <c>default_update</c>: the expression of the next value that <c>function</c> installs after each call
    /// when the graph reads this variable and the caller gives no update for it (unless <c>no_default_updates</c>).
    /// </summary>
    public Variable? default_update { get; set; }

    /// <summary>The value on the host, downloaded first when a replica holds a newer one.</summary>
    internal NDArray Value
    {
        get
        {
            if (hostVersion != version)
            {
                host = replica!.Download();
                hostVersion = version;
            }
            return host;
        }
    }

    /// <summary>The host array when it holds the current value; null (and nothing downloaded) otherwise.</summary>
    internal NDArray? HostValueIfCurrent => hostVersion == version ? host : null;

    /// <summary>The replica, current or not (a stale one's memory can take the next upload).</summary>
    internal ValueReplica? Replica => replica;

    internal bool ReplicaIsCurrent => replica is not null && replicaVersion == version;

    /// <summary>Installs a new host value (an update computed by a CPU function, or set_value).</summary>
    internal void Assign(NDArray value)
    {
        host = value;
        hostVersion = ++version;
    }

    /// <summary>Records that the host array was changed in place (a CPU update copied into it).</summary>
    internal void HostChangedInPlace() => hostVersion = ++version;

    /// <summary>Makes <paramref name="copy"/>, which holds the current value, the replica (both copies current).</summary>
    internal void AttachReplica(ValueReplica copy)
    {
        if (!ReferenceEquals(replica, copy)) replica?.Release();
        replica = copy;
        replicaVersion = version;
    }

    /// <summary>Installs a new value computed where the replica lives; the host copy is stale until read.</summary>
    internal void InstallReplica(ValueReplica value)
    {
        if (!ReferenceEquals(replica, value)) replica?.Release();
        replica = value;
        replicaVersion = ++version;
    }
}
