using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// Theano's bit ops (and_, or_, xor, invert): integer and bool inputs only, the upcast dtype out (bool for bools,
/// where they are the logical operations), no gradient.
/// </summary>
public abstract record BitwiseOp : ScalarOp
{
    public override DType OutputDType(IReadOnlyList<DType> inputs) =>
        inputs.All(t => !t.IsFloat)
            ? DType.Upcast([.. inputs])
            : throw new ArgumentException($"{Name} takes integer or bool inputs, got {string.Join(", ", inputs)}.");

    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

public sealed record And : BitwiseOp
{
    public static readonly And Op = new();
    public override string Name => "and_";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("&");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.BitwiseAnd(inputs[0], inputs[1]);
}

public sealed record Or : BitwiseOp
{
    public static readonly Or Op = new();
    public override string Name => "or_";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("|");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.BitwiseOr(inputs[0], inputs[1]);
}

public sealed record Xor : BitwiseOp
{
    public static readonly Xor Op = new();
    public override string Name => "xor";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("^");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.BitwiseXor(inputs[0], inputs[1]);
}

public sealed record Invert : BitwiseOp
{
    public static readonly Invert Op = new();
    public override string Name => "invert";
    public override int Arity => 1;
    public override PpStyle Style => new PpStyle.Prefix("~");
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Invert(inputs[0]);
}
