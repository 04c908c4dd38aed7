using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Circular and hyperbolic functions and their inverses, with Theano's gradients (theano.scalar.basic).

public sealed record Sin : FloatUnaryOp
{
    public static readonly Sin Op = new();
    public override string Name => "sin";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Sin(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, cos(inputs[0]));
}

public sealed record Cos : FloatUnaryOp
{
    public static readonly Cos Op = new();
    public override string Name => "cos";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Cos(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        neg(mul(gz, sin(inputs[0])));
}

public sealed record Tan : FloatUnaryOp
{
    public static readonly Tan Op = new();
    public override string Name => "tan";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Tan(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, sqr(cos(inputs[0])));
}

public sealed record Arcsin : FloatUnaryOp
{
    public static readonly Arcsin Op = new();
    public override string Name => "arcsin";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arcsin(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, sqrt(sub(1, sqr(inputs[0]))));
}

public sealed record Arccos : FloatUnaryOp
{
    public static readonly Arccos Op = new();
    public override string Name => "arccos";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arccos(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        neg(true_div(gz, sqrt(sub(1, sqr(inputs[0])))));
}

public sealed record Arctan : FloatUnaryOp
{
    public static readonly Arctan Op = new();
    public override string Name => "arctan";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arctan(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, add(1, sqr(inputs[0])));
}

public sealed record Sinh : FloatUnaryOp
{
    public static readonly Sinh Op = new();
    public override string Name => "sinh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Sinh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, cosh(inputs[0]));
}

public sealed record Cosh : FloatUnaryOp
{
    public static readonly Cosh Op = new();
    public override string Name => "cosh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Cosh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, sinh(inputs[0]));
}

public sealed record Arcsinh : FloatUnaryOp
{
    public static readonly Arcsinh Op = new();
    public override string Name => "arcsinh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arcsinh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, sqrt(add(sqr(inputs[0]), 1)));
}

public sealed record Arccosh : FloatUnaryOp
{
    public static readonly Arccosh Op = new();
    public override string Name => "arccosh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arccosh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, sqrt(sub(sqr(inputs[0]), 1)));
}

public sealed record Arctanh : FloatUnaryOp
{
    public static readonly Arctanh Op = new();
    public override string Name => "arctanh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arctanh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        true_div(gz, sub(1, sqr(inputs[0])));
}

/// <summary>Theano's ArcTan2: the angle of (x, y), integers upgraded to float.</summary>
public sealed record Arctan2 : ScalarOp
{
    public static readonly Arctan2 Op = new();
    public override string Name => "arctan2";
    public override int Arity => 2;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => DType.Upcast([.. inputs]).ToFloat();
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Arctan2(inputs[0], inputs[1]);

    // d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2) (ArcTan2.L_op)
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz)
    {
        var (y, x) = (inputs[0], inputs[1]);
        return true_div(mul(gz, i == 0 ? x : neg(y)), add(sqr(x), sqr(y)));
    }
}
