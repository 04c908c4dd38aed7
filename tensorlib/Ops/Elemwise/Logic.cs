using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>A comparison: a bool result and no gradient.</summary>
public sealed record Compare(string Kind) : ScalarOp
{
    public static readonly Compare Lt = new("lt"), Gt = new("gt"), Le = new("le"), Ge = new("ge"), Eq = new("eq"), Neq = new("neq");

    public override string Name => Kind;
    public override int Arity => 2;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => DType.Bool;

    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => Kind switch
    {
        "lt" => ArrayMath.Less(inputs[0], inputs[1]),
        "gt" => ArrayMath.Greater(inputs[0], inputs[1]),
        "le" => ArrayMath.LessEqual(inputs[0], inputs[1]),
        "ge" => ArrayMath.GreaterEqual(inputs[0], inputs[1]),
        "eq" => ArrayMath.Equal(inputs[0], inputs[1]),
        "neq" => ArrayMath.NotEqual(inputs[0], inputs[1]),
        _ => throw new InvalidOperationException($"unknown comparison {Kind}"),
    };

    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

/// <summary>Elementwise choice: <c>switch(cond, a, b)</c> is a where cond is non-zero, else b. Both sides are computed.</summary>
public sealed record Switch : ScalarOp
{
    public static readonly Switch Op = new();
    public override string Name => "switch";
    public override int Arity => 3;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => DType.Upcast(inputs[1], inputs[2]);
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Where(inputs[0], inputs[1], inputs[2]);

    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => i switch
    {
        0 => null,
        1 => @switch(inputs[0], gz, zeros_like(gz)),
        _ => @switch(inputs[0], zeros_like(gz), gz),
    };
}

/// <summary>
/// Theano's <c>isnan</c>: a bool result and no gradient. Integers are never NaN (Theano's <c>isnan</c> builds a
/// constant false for them; here the op itself gives false).
/// </summary>
public sealed record IsNan : ScalarOp
{
    public static readonly IsNan Op = new();
    public override string Name => "isnan";
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => DType.Bool;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.IsNan(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

/// <summary>Theano's <c>isinf</c>, true for both infinities; false for integers, as <see cref="IsNan"/>.</summary>
public sealed record IsInf : ScalarOp
{
    public static readonly IsInf Op = new();
    public override string Name => "isinf";
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => DType.Bool;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.IsInf(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}
