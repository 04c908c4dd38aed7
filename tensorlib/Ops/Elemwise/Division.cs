using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Python's integer division and remainder, as Theano's IntDiv and Mod compute them for integers and floats:
// x // y floors, and x % y has the sign of y (x == (x // y) * y + x % y). Booleans divide as int8, as in numpy.
// By zero: integers give 0 (numpy's result), floats inf or nan.

public sealed record Mod : ScalarOp
{
    public static readonly Mod Op = new();
    public override string Name => "mod";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("%");
    public override DType OutputDType(IReadOnlyList<DType> inputs) => Division.Result(inputs);
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Remainder(inputs[0], inputs[1]);

    // Mod.L_op: [gz, -(x // y) * gz]; no gradient flows through an integer output.
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        !output.type.dtype.IsFloat ? null : i == 0 ? gz : neg(mul(int_div(inputs[0], inputs[1]), gz));
}

public sealed record IntDiv : ScalarOp
{
    public static readonly IntDiv Op = new();
    public override string Name => "int_div";
    public override int Arity => 2;
    public override PpStyle Style => new PpStyle.Infix("//");
    public override DType OutputDType(IReadOnlyList<DType> inputs) => Division.Result(inputs);
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.FloorDivide(inputs[0], inputs[1]);

    // IntDiv.L_op: zeros for both inputs (piecewise constant).
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

internal static class Division
{
    public static DType Result(IReadOnlyList<DType> inputs)
    {
        var dtype = DType.Upcast([.. inputs]);
        return dtype.IsBool ? DType.Int8 : dtype;
    }
}
