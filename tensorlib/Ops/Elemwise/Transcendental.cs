using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Float functions of one variable. Integer inputs compute in float (Theano's upgrade_to_float).

public abstract record FloatUnaryOp : ScalarOp
{
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => inputs[0].ToFloat();
}

public sealed record Exp : FloatUnaryOp
{
    public static readonly Exp Op = new();
    public override string Name => "exp";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Exp(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, output);
}

public sealed record Log : FloatUnaryOp
{
    public static readonly Log Op = new();
    public override string Name => "log";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Log(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => true_div(gz, inputs[0]);
}

public sealed record Log1p : FloatUnaryOp
{
    public static readonly Log1p Op = new();
    public override string Name => "log1p";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Log1p(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => true_div(gz, add(1, inputs[0]));
}

public sealed record Sqrt : FloatUnaryOp
{
    public static readonly Sqrt Op = new();
    public override string Name => "sqrt";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Sqrt(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => true_div(mul(gz, 0.5), output);
}

public sealed record Tanh : FloatUnaryOp
{
    public static readonly Tanh Op = new();
    public override string Name => "tanh";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Tanh(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, sub(1, sqr(output)));
}

public sealed record Sigmoid : FloatUnaryOp
{
    public static readonly Sigmoid Op = new();
    public override string Name => "scalar_sigmoid";
    public override PpStyle Style => new PpStyle.Call("sigmoid");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Sigmoid(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(mul(gz, output), sub(1, output));
}

public sealed record Softplus : FloatUnaryOp
{
    public static readonly Softplus Op = new();
    public override string Name => "scalar_softplus";
    public override PpStyle Style => new PpStyle.Call("softplus");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Softplus(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, sigmoid(inputs[0]));
}

public sealed record Relu : ScalarOp
{
    public static readonly Relu Op = new();
    public override string Name => "relu";
    public override int Arity => 1;
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Maximum(inputs[0], NDArray.Scalar(0, inputs[0].DType));
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => mul(gz, gt(inputs[0], 0));
}

public sealed record Ceil : ScalarOp
{
    public static readonly Ceil Op = new();
    public override string Name => "ceil";
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => inputs[0].ToFloat();
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) =>
        NDArray.FromArray(inputs[0].ToFlatArray<double>().Select(Math.Ceiling).ToArray()).reshape(inputs[0].shape);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}
