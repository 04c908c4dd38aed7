using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

// Rounding toward -inf and toward zero: piecewise constant, so no gradient (Theano's Floor and Trunc give zeros, as
// Ceil does). Integers become floats (upgrade_to_float_no_complex).

public sealed record Floor : ScalarOp
{
    public static readonly Floor Op = new();
    public override string Name => "floor";
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => inputs[0].ToFloat();
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Floor(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

public sealed record Trunc : ScalarOp
{
    public static readonly Trunc Op = new();
    public override string Name => "trunc";
    public override int Arity => 1;
    public override DType OutputDType(IReadOnlyList<DType> inputs) => inputs[0].ToFloat();
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Trunc(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

public sealed record Deg2Rad : FloatUnaryOp
{
    public static readonly Deg2Rad Op = new();
    public override string Name => "deg2rad";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Deg2Rad(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, Math.PI / 180);
}

public sealed record Rad2Deg : FloatUnaryOp
{
    public static readonly Rad2Deg Op = new();
    public override string Name => "rad2deg";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.Rad2Deg(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, 180 / Math.PI);
}

// Rounding to the nearest integer, halves by Theano's two modes (RoundHalfToEven is numpy's np.round,
// RoundHalfAwayFromZero is C's round). Piecewise constant: no gradient (Theano's grad is x.zeros_like()).

public sealed record RoundHalfToEven : FloatUnaryOp
{
    public static readonly RoundHalfToEven Op = new();
    public override string Name => "round_half_to_even";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.RoundHalfToEven(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}

public sealed record RoundHalfAwayFromZero : FloatUnaryOp
{
    public static readonly RoundHalfAwayFromZero Op = new();
    public override string Name => "round_half_away_from_zero";
    public override NDArray Perform(IReadOnlyList<NDArray> inputs) => ArrayMath.RoundHalfAwayFromZero(inputs[0]);
    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) => null;
}
