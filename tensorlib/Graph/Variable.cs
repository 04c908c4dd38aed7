namespace Theon;

/// <summary>
/// A symbolic tensor: a typed node of the expression graph. It is either an input (no owner), a constant,
/// a shared variable, or the output number <see cref="index"/> of the node <see cref="owner"/>.
/// </summary>
public partial class Variable
{
    public Variable(TensorType type, Apply? owner = null, int index = 0, string? name = null)
    {
        this.type = type;
        this.owner = owner;
        this.index = index;
        this.name = name;
        tag = new VariableTag(this);
    }

    public TensorType type { get; }

    public Apply? owner { get; }

    public int index { get; }

    public string? name { get; set; }

    /// <summary>Free-form annotations; <c>tag.test_value</c> is the value used by <c>config.compute_test_value</c>.</summary>
    public VariableTag tag { get; }

    public string dtype => type.dtype.Name;

    public int ndim => type.ndim;

    public bool[] broadcastable => [.. type.broadcastable];

    /// <summary>The symbolic shape, an int64 vector: <c>x.shape[0]</c> is the length of the first axis.</summary>
    public Variable shape => Theon.T.shape(this);

    /// <summary>The transpose (axes reversed).</summary>
    public Variable T => Theon.T.transpose(this);

    public override string ToString() => name ?? (owner is null ? $"<{type}>" : Printing.PrettyPrinter.Print(this));
}

/// <summary>Annotations of a variable. Setting <see cref="test_value"/> checks the value against the variable's type.</summary>
public sealed class VariableTag(Variable variable)
{
    private NDArray? testValue;
    private Func<NDArray>? source;

    public NDArray? test_value
    {
        get => testValue ?? source?.Invoke();
        set => testValue = value is null ? null : variable.type.Filter(value, $"test value of {variable}");
    }

    internal void SetComputed(NDArray value) => testValue = value;

    /// <summary>A value read when asked for (a shared variable's current value), unless one was set.</summary>
    internal void SetSource(Func<NDArray> read) => source = read;
}
