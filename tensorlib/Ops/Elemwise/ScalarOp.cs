namespace Theon.Ops;

/// <summary>How pp shows an elementwise op: an infix operator, a prefix operator, a pattern or a function call.</summary>
public abstract record PpStyle
{
    public abstract string Format(IReadOnlyList<string> inputs);

    /// <summary>Theano parenthesizes every operator application: <c>((a * b) + c)</c>.</summary>
    public sealed record Infix(string Symbol) : PpStyle
    {
        public override string Format(IReadOnlyList<string> inputs) => $"({string.Join($" {Symbol} ", inputs)})";
    }

    /// <summary>Theano's OperatorPrinter with one input, parenthesized like the others: <c>(-x)</c>.</summary>
    public sealed record Prefix(string Symbol) : PpStyle
    {
        public override string Format(IReadOnlyList<string> inputs) => $"({Symbol}{inputs[0]})";
    }

    public sealed record Surround(string Left, string Right) : PpStyle
    {
        public override string Format(IReadOnlyList<string> inputs) => $"{Left}{inputs[0]}{Right}";
    }

    public sealed record Call(string Function) : PpStyle
    {
        public override string Format(IReadOnlyList<string> inputs) => $"{Function}({string.Join(", ", inputs)})";
    }
}

/// <summary>
/// An operation on scalars, lifted to tensors by <see cref="Elemwise"/>. One record per operation holds its
/// name, result dtype, reference kernel, derivative and printed form; the CPU and CUDA backends key their
/// generated code on the same records.
/// </summary>
public abstract record ScalarOp
{
    /// <summary>Theano's name of the scalar op, shown by debugprint as <c>Elemwise{name,no_inplace}</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The number of inputs; -1 for ops that take two or more (add, mul).</summary>
    public abstract int Arity { get; }

    public virtual PpStyle Style => new PpStyle.Call(Name);

    public virtual DType OutputDType(IReadOnlyList<DType> inputs) => DType.Upcast([.. inputs]);

    /// <summary>The reference kernel on already broadcast-compatible arrays; the result is cast to the output dtype.</summary>
    public abstract NDArray Perform(IReadOnlyList<NDArray> inputs);

    /// <summary>
    /// The gradient with respect to input <paramref name="i"/> at the output's shape, given the output gradient
    /// <paramref name="gz"/>, or null where it is zero. Only called for float outputs; an integer input gets the
    /// gradient it would have if it were float (Theano's rule), so the result must not be integer-valued.
    /// </summary>
    public abstract Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz);

    /// <summary>Theano's scalar <c>connection_pattern</c>, which <see cref="Elemwise"/> takes over (see
    /// <see cref="Op.IsConnected"/>).</summary>
    public virtual bool IsConnected(int input) => true;

    public sealed override string ToString() => Name;
}
