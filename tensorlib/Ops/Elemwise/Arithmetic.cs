using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Arithmetic scalar ops. Each gradient is written at the output's shape; Elemwise sums it over broadcast axes.

public sealed record Add : ScalarOp
{
    public static readonly Add Op = new();
    public override string Name => "add";
    public override int Arity => -1;
    public override PpStyle Style => new PpStyle.Infix("+");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => inputs.Skip(1).Aggregate(inputs[0], ArrayMath.Add);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => gz;
}

public sealed record Sub : ScalarOp
{
    public static readonly Sub Op = new();
    public override string Name => "sub";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("-");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Subtract(inputs[0], inputs[1]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => i == 0 ? gz : neg(gz);
}

public sealed record Mul : ScalarOp
{
    public static readonly Mul Op = new();
    public override string Name => "mul";
    public override int Arity => -1;
    public override PpStyle Style => new PpStyle.Infix("*");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => inputs.Skip(1).Aggregate(inputs[0], ArrayMath.Multiply);

    // d(x0*x1*...)/dxi = gz * (the product of the others)
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul([gz, .. inputs.Where((_, j) => j != i)]);
}

public sealed record TrueDiv : ScalarOp
{
    public static readonly TrueDiv Op = new();
    public override string Name => "true_div";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("/");

    /// <summary>Theano's <c>TrueDiv.output_types</c>: integers (and bools) divide into floatX, as in Theano's C code
    /// <c>((double)x) / y</c>; with a float input, the upcast of the inputs.</summary>
    public override DType OutputDType(IReadOnlyList<DType> inputs) =>
        inputs.Any(d => d.IsFloat) ? DType.Upcast([.. inputs]).ToFloat() : DType.Parse(config.floatX);

    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => inputs.Any(a => a.DType.IsFloat)
        ? ArrayMath.TrueDivide(inputs[0], inputs[1])
        : ArrayMath.TrueDivide(inputs[0].astype(DType.Float64), inputs[1].astype(DType.Float64));

    // d(x/y)/dx = 1/y; d(x/y)/dy = -x/y²
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        i == 0 ? true_div(gz, inputs[1]) : true_div(neg(mul(gz, inputs[0])), mul(inputs[1], inputs[1]));
}

public sealed record Neg : ScalarOp
{
    public static readonly Neg Op = new();
    public override string Name => "neg";
    public override int Arity => 1;
    public override PpStyle Style => new PpStyle.Prefix("-");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Negative(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => neg(gz);
}

public sealed record Pow : ScalarOp
{
    public static readonly Pow Op = new();
    public override string Name => "pow";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("**");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Power(inputs[0], inputs[1]);

    // d(x**y)/dx = y * x**(y-1); d(x**y)/dy = log(x) * x**y
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        i == 0
            ? mul(mul(gz, inputs[1]), pow(inputs[0], sub(inputs[1], 1)))
            : mul(mul(gz, log(inputs[0])), pow(inputs[0], inputs[1]));
}

public sealed record Abs : ScalarOp
{
    public static readonly Abs Op = new();
    public override string Name => "abs_";
    public override int Arity => 1;
    public override PpStyle Style => new PpStyle.Surround("|", "|");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Abs(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, sgn(inputs[0]));
}

public sealed record Sgn : ScalarOp
{
    public static readonly Sgn Op = new();
    public override string Name => "sgn";
    public override int Arity => 1;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs)
    {
        var (x, zero) = (inputs[0], NDArray.Scalar(0, inputs[0].DType));
        return ArrayMath.Subtract(ArrayMath.Greater(x, zero).astype(x.DType), ArrayMath.Less(x, zero).astype(x.DType));
    }
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

public sealed record Sqr : ScalarOp
{
    public static readonly Sqr Op = new();
    public override string Name => "sqr";
    public override int Arity => 1;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Square(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(mul(gz, inputs[0]), 2);
}

public sealed record Maximum : ScalarOp
{
    public static readonly Maximum Op = new();
    public override string Name => "maximum";
    public override int Arity => 2;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Maximum(inputs[0], inputs[1]);

    // The gradient goes to whichever input equals the output (to both on ties, as Theano does).
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, eq(output, inputs[i]));
}

public sealed record Minimum : ScalarOp
{
    public static readonly Minimum Op = new();
    public override string Name => "minimum";
    public override int Arity => 2;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Minimum(inputs[0], inputs[1]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, eq(output, inputs[i]));
}

public sealed record Clip : ScalarOp
{
    public static readonly Clip Op = new();
    public override string Name => "clip";
    public override int Arity => 3;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Clip(inputs[0], inputs[1], inputs[2]);

    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => i switch
    {
        0 => mul(gz, mul(ge(inputs[0], inputs[1]), le(inputs[0], inputs[2]))),
        1 => mul(gz, lt(inputs[0], inputs[1])),
        _ => mul(gz, gt(inputs[0], inputs[2])),
    };
}

/// <summary>Theano's <c>second</c>, printed <c>fill</c>: the value of the second input broadcast to the shape of both.</summary>
public sealed record Second : ScalarOp
{
    public static readonly Second Op = new();
    public override string Name => "second";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Call("fill");
    public override DType OutputDType(IReadOnlyList<DType> inputs) => inputs[1];
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) =>
        inputs[1].BroadcastTo(Elemwise.BroadcastShape(inputs)).Copy();
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        i == 1 ? gz : null;

    // Theano's Second.connection_pattern: only the shape of the first input is read.
    public override bool IsConnected(int input) => input == 1;
}

public sealed record Cast(DType To) : ScalarOp
{
    public override string Name => $"Cast{{{To}}}";
    public override int Arity => 1;
    public override PpStyle Style => new PpStyle.Call($"convert_to_{To}");
    public override DType OutputDType(IReadOnlyList<DType> inputs) => To;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => inputs[0].astype(To);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => gz;
}
