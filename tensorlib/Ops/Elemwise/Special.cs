using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// The special functions of theano.scalar.math (erf, erfc, erfinv, gamma, gammaln, psi). Integers become floats
// (upgrade_to_float_no_complex); the gradients are Theano's.

/// <summary>The reference kernel of a special function: elementwise in float64, rounded to the output dtype.</summary>
public abstract record SpecialFunctionOp : FloatUnaryOp
{
    private protected abstract double Of(double x);

    public override NDArray Perform(IReadOnlyList<NDArray> inputs)
    {
        var x = inputs[0];
        NDArray result = x.ToFlatArray<double>().Select(Of).ToArray();
        return result.astype(x.DType.ToFloat()).reshape(x.shape);
    }

    private protected static Variable Literal(double value, Variable like) => constant(NDArray.Scalar(value, like.type.dtype));
}

public sealed record Erf : SpecialFunctionOp
{
    public static readonly Erf Op = new();
    public override string Name => "erf";
    private protected override double Of(double x) => SpecialMath.Erf(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, Literal(2 / Math.Sqrt(Math.PI), output), exp(neg(sqr(cast(inputs[0], output.type.dtype)))));
}

public sealed record Erfc : SpecialFunctionOp
{
    public static readonly Erfc Op = new();
    public override string Name => "erfc";
    private protected override double Of(double x) => SpecialMath.Erfc(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, Literal(-2 / Math.Sqrt(Math.PI), output), exp(neg(sqr(cast(inputs[0], output.type.dtype)))));
}

public sealed record Erfinv : SpecialFunctionOp
{
    public static readonly Erfinv Op = new();
    public override string Name => "erfinv";
    private protected override double Of(double x) => SpecialMath.Erfinv(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, Literal(Math.Sqrt(Math.PI) / 2, output), exp(sqr(output)));
}

public sealed record Gamma : SpecialFunctionOp
{
    public static readonly Gamma Op = new();
    public override string Name => "gamma";
    private protected override double Of(double x) => SpecialMath.Gamma(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, output, ApplyScalar(Psi.Op, cast(inputs[0], output.type.dtype)));
}

public sealed record GammaLn : SpecialFunctionOp
{
    public static readonly GammaLn Op = new();
    public override string Name => "gammaln";
    private protected override double Of(double x) => SpecialMath.GammaLn(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, ApplyScalar(Psi.Op, cast(inputs[0], output.type.dtype)));
}

/// <summary>The digamma function. Theano 1.0's Psi has no gradient (trigamma came later); neither has this one.</summary>
public sealed record Psi : SpecialFunctionOp
{
    public static readonly Psi Op = new();
    public override string Name => "psi";
    private protected override double Of(double x) => SpecialMath.Psi(x);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        throw new NotSupportedException("the gradient of psi (the trigamma function) is not implemented, as in Theano 1.0.");
}
