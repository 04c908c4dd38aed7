using static Theon.T;

namespace Theon.Tests.Gradient;

/// <summary>
/// verify_grad (central differences at float64) for every differentiable input of every op: each case is an
/// expression of float64 inputs and the random point (fixed seed) where its gradient is checked.
/// </summary>
public class VerifyGradTests
{
    private sealed record GradCase(Func<Variable[], Variable> Expression, Func<GradientPoints, NDArray[]> Points);

    private static readonly Dictionary<string, GradCase> Cases = new()
    {
        ["add"] = new(x => x[0] + x[1], p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["add3"] = new(x => add(x[0], x[1], x[2]), p => [p.Normal(3, 4), p.Normal(3, 4), p.Normal(3, 4)]),
        ["sub"] = new(x => x[0] - x[1], p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["mul"] = new(x => x[0] * x[1], p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["mul3_repeated_input"] = new(x => mul(x[0], x[1], x[0]), p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["true_div"] = new(x => x[0] / x[1], p => [p.Normal(3, 4), p.AwayFromZero(3, 4)]),
        ["neg"] = new(x => -x[0], p => [p.Normal(3, 4)]),
        ["pow"] = new(x => pow(x[0], x[1]), p => [p.Uniform(0.5, 2, 3, 4), p.Normal(3, 4)]),
        ["pow_constant_exponent"] = new(x => pow(x[0], 3), p => [p.Normal(3, 4)]),
        ["pow_constant_base"] = new(x => pow(2, x[0]), p => [p.Normal(3, 4)]),
        ["abs"] = new(x => abs(x[0]), p => [p.AwayFromZero(3, 4)]),
        ["exp"] = new(x => exp(x[0]), p => [p.Normal(3, 4)]),
        ["log"] = new(x => log(x[0]), p => [p.Uniform(0.2, 3, 3, 4)]),
        ["log1p"] = new(x => log1p(x[0]), p => [p.Uniform(-0.5, 3, 3, 4)]),
        ["sqrt"] = new(x => sqrt(x[0]), p => [p.Uniform(0.2, 3, 3, 4)]),
        ["sqr"] = new(x => sqr(x[0]), p => [p.Normal(3, 4)]),
        ["tanh"] = new(x => tanh(x[0]), p => [p.Normal(3, 4)]),
        ["sin"] = new(x => sin(x[0]), p => [p.Normal(3, 4)]),
        ["cos"] = new(x => cos(x[0]), p => [p.Normal(3, 4)]),
        ["tan"] = new(x => tan(x[0]), p => [p.Uniform(-1.2, 1.2, 3, 4)]),
        ["arcsin"] = new(x => arcsin(x[0]), p => [p.Uniform(-0.9, 0.9, 3, 4)]),
        ["arccos"] = new(x => arccos(x[0]), p => [p.Uniform(-0.9, 0.9, 3, 4)]),
        ["arctan"] = new(x => arctan(x[0]), p => [p.Normal(3, 4)]),
        ["sinh"] = new(x => sinh(x[0]), p => [p.Normal(3, 4)]),
        ["cosh"] = new(x => cosh(x[0]), p => [p.Normal(3, 4)]),
        ["arcsinh"] = new(x => arcsinh(x[0]), p => [p.Normal(3, 4)]),
        ["arccosh"] = new(x => arccosh(x[0]), p => [p.Uniform(1.2, 3, 3, 4)]),
        ["arctanh"] = new(x => arctanh(x[0]), p => [p.Uniform(-0.9, 0.9, 3, 4)]),
        ["exp2"] = new(x => exp2(x[0]), p => [p.Normal(3, 4)]),
        ["expm1"] = new(x => expm1(x[0]), p => [p.Normal(3, 4)]),
        ["log2"] = new(x => log2(x[0]), p => [p.Uniform(0.2, 3, 3, 4)]),
        ["log10"] = new(x => log10(x[0]), p => [p.Uniform(0.2, 3, 3, 4)]),
        ["inv"] = new(x => inv(x[0]), p => [p.AwayFromZero(3, 4)]),
        ["deg2rad"] = new(x => deg2rad(x[0]), p => [p.Normal(3, 4)]),
        ["rad2deg"] = new(x => rad2deg(x[0]), p => [p.Normal(3, 4)]),
        ["arctan2"] = new(x => arctan2(x[0], x[1]), p => [p.Normal(3, 4), p.AwayFromZero(3, 4)]),
        ["mod"] = new(x => x[0] % x[1], p => [p.Uniform(2.1, 2.9, 3, 4), p.Uniform(1.5, 1.9, 3, 4)]),
        ["arctan2_broadcast"] = new(x => arctan2(x[0], x[1]), p => [p.AwayFromZero(3, 1), p.Normal(3, 4)]),
        ["sigmoid"] = new(x => sigmoid(x[0]), p => [p.Normal(3, 4)]),
        ["nnet_sigmoid"] = new(x => nnet.sigmoid(3 * x[0]), p => [p.Normal(3, 4)]),
        ["softplus"] = new(x => softplus(x[0]), p => [p.Normal(3, 4)]),
        ["relu"] = new(x => relu(x[0]), p => [p.AwayFromZero(3, 4)]),
        ["maximum"] = new(x => maximum(x[0], x[1]), p => Pair(p)),
        ["minimum"] = new(x => minimum(x[0], x[1]), p => Pair(p)),
        ["clip"] = new(x => clip(x[0], -0.5, 0.7), _ => [new[] { -1.2, -0.3, 0.1, 0.5, 0.9, 1.4 }]),
        ["clip_symbolic_bounds"] = new(x => clip(x[0], x[1], x[2]),
            _ => [new[] { -1.2, -0.3, 0.1, 0.5, 0.9, 1.4 }, NDArray.Scalar(-0.5), NDArray.Scalar(0.7)]),
        ["fill"] = new(x => fill(x[0], x[1]) * x[0], p => [p.Normal(3, 4), NDArray.Scalar(1.5)]),
        ["zeros_like"] = new(x => zeros_like(x[0]) + sqr(x[0]), p => [p.Normal(3, 4)]),
        ["ones_like"] = new(x => ones_like(x[0]) * x[0], p => [p.Normal(3, 4)]),
        ["switch"] = new(x => @switch(gt(x[0], 0), x[1], x[2] * x[0]),
            p => [p.AwayFromZero(3, 4), p.Normal(3, 4), p.Normal(3, 4)]),
        ["switch_broadcast_scalar"] = new(x => @switch(gt(x[1], 0), x[0], x[1]),
            p => [NDArray.Scalar(0.4), p.AwayFromZero(3, 4)]),
        ["ifelse_then"] = new(x => ifelse(gt(x[0].sum(), -100), x[0] * 2, x[1]), p => [p.Normal(3, 4), p.Normal(2, 5)]),
        ["ifelse_else"] = new(x => ifelse(lt(x[0].sum(), -100), x[0] * 2, x[1] * x[1]),
            p => [p.Normal(3, 4), p.Normal(2, 5)]),
        ["cast_to_float64"] = new(x => cast(cast(x[0], "float64") * x[0], "float64"), p => [p.Normal(3, 4)]),

        ["broadcast_row_matrix"] = new(x => x[0].dimshuffle('x', 0) + x[1], p => [p.Normal(4), p.Normal(3, 4)]),
        ["broadcast_col_matrix"] = new(x => x[0].dimshuffle(0, 'x') * x[1], p => [p.Normal(3), p.Normal(3, 4)]),
        ["broadcast_scalar_matrix"] = new(x => x[0] * x[1], p => [NDArray.Scalar(0.7), p.Normal(3, 4)]),
        ["broadcast_vector_matrix_padded"] = new(x => x[1] / x[0], p => [p.AwayFromZero(4), p.Normal(3, 4)]),
        ["broadcast_matrix_tensor3"] = new(x => x[0] * x[1], p => [p.Normal(3, 4), p.Normal(2, 3, 4)]),
        ["broadcastable_row_type"] = new(x => x[0] * x[1], p => [p.Normal(1, 4), p.Normal(3, 4)]),
        ["broadcastable_col_type"] = new(x => x[1] - x[0], p => [p.Normal(3, 1), p.Normal(3, 4)]),
        ["broadcastable_row_indexed"] = new(x => sqr(x[0][0]), p => [p.Normal(1, 4)]),
        ["broadcastable_row_dot"] = new(x => dot(x[0], x[1]), p => [p.Normal(1, 3), p.Normal(3, 4)]),
        ["broadcastable_row_concatenated"] = new(x => concatenate([x[0], x[1]]) * 2,
            p => [p.Normal(1, 4), p.Normal(3, 4)]),
        ["broadcastable_row_softmax"] = new(x => nnet.softmax(x[0] + x[1]), p => [p.Normal(1, 4), p.Normal(3, 4)]),
        ["broadcast_row_col"] = new(x => x[0].dimshuffle('x', 0) - x[1].dimshuffle(0, 'x'),
            p => [p.Normal(4), p.Normal(3)]),

        ["dimshuffle_201"] = new(x => x[0].dimshuffle(2, 0, 1), p => [p.Normal(2, 3, 4)]),
        ["dimshuffle_x0"] = new(x => x[0].dimshuffle('x', 0), p => [p.Normal(4)]),
        ["dimshuffle_1x0"] = new(x => x[0].dimshuffle(1, 'x', 0), p => [p.Normal(3, 4)]),
        ["dimshuffle_drop_broadcastable"] = new(x => x[0].dimshuffle('x', 0).dimshuffle(1), p => [p.Normal(4)]),
        ["transpose"] = new(x => x[0].T, p => [p.Normal(3, 4)]),

        ["dot_vector_vector"] = new(x => dot(x[0], x[1]), p => [p.Normal(4), p.Normal(4)]),
        ["dot_matrix_vector"] = new(x => dot(x[0], x[1]), p => [p.Normal(3, 4), p.Normal(4)]),
        ["dot_vector_matrix"] = new(x => dot(x[0], x[1]), p => [p.Normal(3), p.Normal(3, 4)]),
        ["dot_matrix_matrix"] = new(x => dot(x[0], x[1]), p => [p.Normal(3, 4), p.Normal(4, 2)]),

        ["reshape"] = new(x => x[0].reshape(2, 6), p => [p.Normal(3, 4)]),
        ["reshape_minus_one"] = new(x => x[0].reshape(-1, 3, 2), p => [p.Normal(3, 4)]),
        ["reshape_to_row"] = new(x => x[0].reshape(1, 12) * 2, p => [p.Normal(3, 4)]),
        ["flatten"] = new(x => x[0].flatten(), p => [p.Normal(2, 3, 4)]),
        ["flatten_2"] = new(x => x[0].flatten(2), p => [p.Normal(2, 3, 4)]),
        ["stack_0"] = new(x => stack([x[0], x[1]]), p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["stack_1"] = new(x => stack([x[0], x[1]], axis: 1), p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["stack_last"] = new(x => stack([x[0], x[1]], axis: -1), p => [p.Normal(3, 4), p.Normal(3, 4)]),
        ["stack_scalars"] = new(x => stack([x[0], x[1], x[0] * x[1]]),
            _ => [NDArray.Scalar(0.3), NDArray.Scalar(-1.2)]),
        ["concatenate_0"] = new(x => concatenate([x[0], x[1]]), p => [p.Normal(2, 4), p.Normal(3, 4)]),
        ["concatenate_1"] = new(x => concatenate([x[0], x[1], x[0]], axis: 1), p => [p.Normal(3, 2), p.Normal(3, 4)]),

        ["index_int"] = new(x => x[0][1], p => [p.Normal(3, 4)]),
        ["index_negative"] = new(x => x[0][-1], p => [p.Normal(3, 4)]),
        ["index_two"] = new(x => x[0][1, 2], p => [p.Normal(3, 4)]),
        ["slice"] = new(x => x[0][slice(1, 3)], p => [p.Normal(4, 3)]),
        ["slice_step"] = new(x => x[0][slice(null, null, 2)], p => [p.Normal(7)]),
        ["slice_reverse"] = new(x => x[0][slice(null, null, -1)] * x[0], p => [p.Normal(5)]),
        ["slice_negative_step_bounds"] = new(x => x[0][slice(4, 0, -2)] * x[0][slice(1, 3)], p => [p.Normal(6)]),
        ["advanced_negative_indices"] = new(x => x[0][constant(new long[] { -1, 0, -1 })], p => [p.Normal(4)]),
        ["prod_with_a_zero"] = new(x => (x[0] * constant(new[] { 1.0, 0.0, 1.0 })).prod() + x[0].prod(),
            p => [p.AwayFromZero(3)]),
        ["slice_second_axis"] = new(x => x[0][slice(null, null), slice(1, 3)], p => [p.Normal(3, 4)]),
        ["index_then_slice"] = new(x => x[0][0, slice(1, null)], p => [p.Normal(2, 3, 4)]),
        ["advanced_arange_labels"] = new(x => x[0][arange(3), constant(new[] { 2, 0, 3 })], p => [p.Normal(3, 4)]),
        ["advanced_repeated_indices"] = new(x => x[0][constant(new long[] { 5, 0, 5, 2 })], p => [p.Normal(6)]),
        ["advanced_rows"] = new(x => x[0][constant(new long[] { 2, 0, 2 })], p => [p.Normal(3, 4)]),

        ["softmax_vector"] = new(x => nnet.softmax(x[0]), p => [p.Normal(5)]),
        ["softmax_matrix"] = new(x => nnet.softmax(x[0]), p => [p.Normal(3, 4)]),
        ["log_softmax"] = new(x => log(nnet.softmax(x[0])), p => [p.Normal(3, 4)]),
        ["log_softmax_op"] = new(x => Theon.Ops.LogSoftmax.Op.MakeNode(x[0]).outputs[0], p => [p.Normal(3, 4)]),
        ["categorical_crossentropy_labels"] = new(
            x => nnet.categorical_crossentropy(nnet.softmax(x[0]), constant(new[] { 1, 3, 0 })),
            p => [p.Normal(3, 4)]),
        ["categorical_crossentropy_probabilities"] = new(
            x => nnet.categorical_crossentropy(x[0], constant(new[] { 1, 3, 0 })),
            p => [p.Uniform(0.1, 0.9, 3, 4)]),
        ["categorical_crossentropy_onehot"] = new(x => nnet.categorical_crossentropy(nnet.softmax(x[0]), x[1]),
            p => [p.Normal(3, 4), p.Uniform(0, 1, 3, 4)]),
        ["binary_crossentropy"] = new(x => nnet.binary_crossentropy(x[0], x[1]),
            p => [p.Uniform(0.1, 0.9, 3, 4), p.Uniform(0, 1, 3, 4)]),
        ["binary_crossentropy_of_sigmoid"] = new(x => nnet.binary_crossentropy(nnet.sigmoid(x[0]), x[1]).mean(),
            p => [p.Normal(3, 4), p.Uniform(0, 1, 3, 4)]),

        ["argmax_selects"] = new(x => x[0][x[0].argmax()], p => [p.Normal(6)]),
        ["shape_scales"] = new(x => x[0] * cast(x[0].shape[0], "float64"), p => [p.Normal(3)]),
        ["arange_scales"] = new(x => x[0] * cast(arange(3), "float64"), p => [p.Normal(3)]),
    };

    static VerifyGradTests()
    {
        (string Name, Func<Variable, int?, bool, Variable> Reduce)[] reductions =
        [
            ("sum", (v, a, k) => v.sum(a, k)), ("mean", (v, a, k) => v.mean(a, k)), ("max", (v, a, k) => v.max(a, k)),
            ("min", (v, a, k) => v.min(a, k)), ("prod", (v, a, k) => v.prod(a, k)),
        ];
        foreach (var (name, reduce) in reductions)
        {
            Func<GradientPoints, NDArray[]> points =
                name == "prod" ? p => [p.AwayFromZero(2, 3, 4)] : p => [p.Normal(2, 3, 4)];
            Cases[$"{name}_all"] = new(x => reduce(x[0], null, false), points);
            Cases[$"{name}_axis0"] = new(x => reduce(x[0], 0, false), points);
            Cases[$"{name}_axis1"] = new(x => reduce(x[0], 1, false), points);
            Cases[$"{name}_axis_last"] = new(x => reduce(x[0], -1, false), points);
            Cases[$"{name}_axis1_keepdims"] = new(x => reduce(x[0], 1, true) * x[0], points);
            Cases[$"{name}_all_keepdims"] = new(x => reduce(x[0], null, true) * x[0], points);
        }
    }

    private static NDArray[] Pair(GradientPoints p)
    {
        var a = p.Normal(3, 4);
        return [a, p.Apart(a)];
    }

    public static TheoryData<string> CaseNames => [.. Cases.Keys.Order()];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var gradCase = Cases[name];
        verify_grad(gradCase.Expression, gradCase.Points(new GradientPoints(Seed(name))), seed: 1);
    }

    private static int Seed(string name) => name.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fff;

    [Fact]
    public void AWrongGradientIsCaught()
    {
        var points = new GradientPoints(3);
        Variable HalfWrongSquare(Variable x) =>
            new Theon.Ops.Elemwise(new SquareWithHalfTheGradient()).MakeNode(x).outputs[0];

        var error = Assert.Throws<GradientError>(
            () => verify_grad(x => HalfWrongSquare(x[0]), [points.AwayFromZero(3)]));

        Assert.Contains("finite differences", error.Message);
    }

    /// <summary>x², with the derivative x instead of 2x: what verify_grad exists to catch.</summary>
    private sealed record SquareWithHalfTheGradient : Theon.Ops.ScalarOp
    {
        public override string Name => "wrong_sqr";
        public override int Arity => 1;
        public override NDArray Perform(IReadOnlyList<NDArray> inputs) => inputs[0] * inputs[0];
        public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
            gz * inputs[0];
    }
}
