using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Exponentials and logarithms in other bases, and the reciprocal, with Theano's gradients (theano.scalar.basic).

public sealed record Exp2 : FloatUnaryOp
{
    public static readonly Exp2 Op = new();
    public override string Name => "exp2";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Exp2(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, output, Math.Log(2));
}

public sealed record Expm1 : FloatUnaryOp
{
    public static readonly Expm1 Op = new();
    public override string Name => "expm1";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Expm1(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, exp(inputs[0]));
}

public sealed record Log2 : FloatUnaryOp
{
    public static readonly Log2 Op = new();
    public override string Name => "log2";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Log2(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, mul(inputs[0], Math.Log(2)));
}

public sealed record Log10 : FloatUnaryOp
{
    public static readonly Log10 Op = new();
    public override string Name => "log10";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Log10(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, mul(inputs[0], Math.Log(10)));
}

/// <summary>Theano's <c>inv</c>, the multiplicative inverse 1 / x (numpy's <c>reciprocal</c>).</summary>
public sealed record Inv : FloatUnaryOp
{
    public static readonly Inv Op = new();
    public override string Name => "inv";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Reciprocal(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        neg(true_div(gz, sqr(inputs[0])));
}
