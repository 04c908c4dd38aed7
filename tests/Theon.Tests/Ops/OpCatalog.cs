using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>
/// Every op of the public API as an expression of its inputs, by the name of its numpy fixture. The inputs are
/// plain (non-broadcastable) tensors of the fixture's dtypes; broadcasting is asked for explicitly, as in Theano.
/// </summary>
internal static class OpCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<Variable[], Variable>> Expressions = Build();

    private static Dictionary<string, Func<Variable[], Variable>> Build()
    {
        var e = new Dictionary<string, Func<Variable[], Variable>>
        {
            ["add"] = x => x[0] + x[1],
            ["add3"] = x => add(x[0], x[1], x[2]),
            ["sub"] = x => x[0] - x[1],
            ["mul"] = x => x[0] * x[1],
            ["true_div"] = x => x[0] / x[1],
            ["neg"] = x => -x[0],
            ["pow"] = x => pow(x[0], x[1]),
            ["abs"] = x => abs(x[0]),
            ["exp"] = x => exp(x[0]),
            ["log"] = x => log(x[0]),
            ["log1p"] = x => log1p(x[0]),
            ["sqrt"] = x => sqrt(x[0]),
            ["sqr"] = x => sqr(x[0]),
            ["tanh"] = x => tanh(x[0]),
            ["sin"] = x => sin(x[0]),
            ["cos"] = x => cos(x[0]),
            ["tan"] = x => tan(x[0]),
            ["arcsin"] = x => arcsin(x[0]),
            ["arccos"] = x => arccos(x[0]),
            ["arctan"] = x => arctan(x[0]),
            ["sinh"] = x => sinh(x[0]),
            ["cosh"] = x => cosh(x[0]),
            ["arcsinh"] = x => arcsinh(x[0]),
            ["arccosh"] = x => arccosh(x[0]),
            ["arctanh"] = x => arctanh(x[0]),
            ["exp2"] = x => exp2(x[0]),
            ["expm1"] = x => expm1(x[0]),
            ["log2"] = x => log2(x[0]),
            ["log10"] = x => log10(x[0]),
            ["inv"] = x => inv(x[0]),
            ["reciprocal"] = x => reciprocal(x[0]),
            ["expm1_small"] = x => expm1(x[0]),
            ["sin_int32"] = x => sin(x[0]),
            ["cos_float32"] = x => cos(x[0]),
            ["floor"] = x => floor(x[0]),
            ["trunc"] = x => trunc(x[0]),
            ["deg2rad"] = x => deg2rad(x[0]),
            ["rad2deg"] = x => rad2deg(x[0]),
            ["floor_int32"] = x => floor(x[0]),
            ["round_half_to_even"] = x => round(x[0], "half_to_even"),
            ["round_half_away_from_zero"] = x => round(x[0], "half_away_from_zero"),
            ["round_halves"] = x => round(x[0]),
            ["round_halves_away"] = x => round(x[0], "half_away_from_zero"),
            ["round_float32"] = x => round(x[0]),
            ["arctan2"] = x => arctan2(x[0], x[1]),
            ["arctan2_broadcast"] = x => arctan2(x[0].dimshuffle(0, 'x'), x[1]),
            ["arctan2_quadrants"] = x => arctan2(x[0], x[1]),
            ["arctan2_int32"] = x => arctan2(x[0], x[1]),
            ["mod"] = x => x[0] % x[1],
            ["int_div"] = x => int_div(x[0], x[1]),
            ["mod_int32"] = x => mod(x[0], x[1]),
            ["int_div_int32"] = x => int_div(x[0], x[1]),
            ["mod_signs"] = x => x[0] % x[1],
            ["int_div_signs"] = x => floor_div(x[0], x[1]),
            ["mod_int_float"] = x => x[0] % x[1],
            ["and_"] = x => and_(x[0], x[1]),
            ["or_"] = x => or_(x[0], x[1]),
            ["xor"] = x => xor(x[0], x[1]),
            ["invert"] = x => invert(x[0]),
            ["invert_int8"] = x => ~x[0],
            ["and_bool"] = x => x[0] & x[1],
            ["or_bool"] = x => x[0] | x[1],
            ["xor_bool"] = x => x[0] ^ x[1],
            ["invert_bool"] = x => ~x[0],
            ["deg2rad_float32"] = x => deg2rad(x[0]),
            ["isnan_log"] = x => isnan(log(x[0])),
            ["isinf_log"] = x => isinf(log(x[0])),
            ["isinf_exp"] = x => isinf(exp(x[0])),
            ["isnan_int32"] = x => isnan(x[0]),
            ["isinf_int32"] = x => isinf(x[0]),
            ["sigmoid"] = x => sigmoid(x[0]),
            ["nnet_sigmoid"] = x => nnet.sigmoid(x[0]),
            ["softplus"] = x => softplus(x[0]),
            ["relu"] = x => relu(x[0]),
            ["maximum"] = x => maximum(x[0], x[1]),
            ["minimum"] = x => minimum(x[0], x[1]),
            ["clip"] = x => clip(x[0], -0.5, 0.7),
            ["fill"] = x => fill(x[0], x[1]),
            ["zeros_like"] = x => zeros_like(x[0]),
            ["ones_like"] = x => ones_like(x[0]),

            ["add_row"] = x => x[0] + x[1].dimshuffle('x', 0),
            ["add_col"] = x => x[0] + x[1].dimshuffle(0, 'x'),
            ["add_scalar"] = x => x[0] + x[1],
            ["mul_tensor3_matrix"] = x => x[0] * x[1],
            ["sub_row_col"] = x => x[0].dimshuffle('x', 0) - x[1].dimshuffle(0, 'x'),
            ["add_int_float"] = x => x[0] + x[1],
            ["true_div_int"] = x => x[0] / x[1],
            ["pow_int"] = x => pow(x[0], x[1]),
            ["neg_int"] = x => -x[0],

            ["lt"] = x => lt(x[0], x[1]),
            ["gt"] = x => gt(x[0], x[1]),
            ["le"] = x => le(x[0], x[1]),
            ["ge"] = x => ge(x[0], x[1]),
            ["eq"] = x => eq(x[0], x[1]),
            ["neq"] = x => neq(x[0], x[1]),
            ["switch"] = x => @switch(x[0] > 0, x[1], x[2]),
            ["switch_int_condition"] = x => @switch(x[0], x[1], x[2]),
            ["ifelse_then"] = x => ifelse(x[0], x[1], x[2]),
            ["ifelse_else"] = x => ifelse(x[0], x[1], x[2]),
            ["cast_float_int32"] = x => cast(x[0], "int32"),
            ["cast_int_float64"] = x => cast(x[0], "float64"),
            ["cast_float32"] = x => x[0].astype("float32"),

            ["dimshuffle_201"] = x => x[0].dimshuffle(2, 0, 1),
            ["dimshuffle_x0"] = x => x[0].dimshuffle('x', 0),
            ["dimshuffle_1x0"] = x => x[0].dimshuffle(1, 'x', 0),
            ["transpose"] = x => x[0].T,
            ["transpose_tensor3"] = x => x[0].T,
            ["reshape_2x6"] = x => x[0].reshape(2, 6),
            ["reshape_minus_one"] = x => x[0].reshape(2, -1),
            ["reshape_3d"] = x => reshape(x[0], 2, 3, 2),
            ["reshape_symbolic"] = x => reshape(x[0], x[1], 2),
            ["flatten"] = x => x[0].flatten(),
            ["flatten_2"] = x => flatten(x[0], 2),
            ["stack_0"] = x => stack([x[0], x[1]]),
            ["stack_1"] = x => stack([x[0], x[1]], axis: 1),
            ["stack_last"] = x => stack([x[0], x[1]], axis: -1),
            ["stack_scalars"] = x => stack(x),
            ["concatenate_0"] = x => concatenate(x),
            ["concatenate_1"] = x => concatenate(x, axis: 1),
            ["concatenate_last"] = x => concatenate(x, axis: -1),
            ["shape_0"] = x => x[0].shape[0],
            ["shape_1"] = x => x[0].shape[1],
            ["shape"] = x => x[0].shape,
            ["arange_n"] = x => arange(x[0]),
            ["arange_float"] = x => arange(x[0], x[1], x[2]),
            ["arange_negative_step"] = x => arange(x[0], x[1], x[2]),

            ["argmax_all"] = x => x[0].argmax(),
            ["argmax_axis0"] = x => argmax(x[0], 0),
            ["argmax_axis_last"] = x => x[0].argmax(-1),
            ["argmax_axis1_keepdims"] = x => x[0].argmax(1, keepdims: true),
            ["argmax_all_keepdims"] = x => x[0].argmax(keepdims: true),
            ["sum_axes_0_2"] = x => sum(x[0], [0, 2]),
            ["mean_axes_0_last"] = x => mean(x[0], [0, -1]),
            ["argmax_ties"] = x => x[0].argmax(),
            ["prod_with_zero_axis1"] = x => x[0].prod(1),
            ["sum_int8"] = x => x[0].sum(),
            ["sum_bool"] = x => gt(x[0], 0).sum(),
            ["mean_bool"] = x => gt(x[0], 0).mean(),
            ["sum_float32"] = x => x[0].sum(1),
            ["mean_float32"] = x => x[0].mean(-1),
            ["mul_float32"] = x => x[0] * x[1],
            ["exp_float32"] = x => exp(x[0]),
            ["slice_negative_step_bounds"] = x => x[0][slice(4, 0, -2)],
            ["slice_beyond_end"] = x => x[0][slice(x[1], x[2])],
            ["sum_empty_slice"] = x => x[0][slice(x[1], x[2])].sum(),
            ["advanced_negative"] = x => x[0][x[1]],
            ["sum_int"] = x => x[0].sum(),
            ["mean_int"] = x => x[0].mean(),

            ["dot_vector_vector"] = x => dot(x[0], x[1]),
            ["dot_matrix_vector"] = x => dot(x[0], x[1]),
            ["dot_vector_matrix"] = x => dot(x[0], x[1]),
            ["dot_matrix_matrix"] = x => dot(x[0], x[1]),

            ["index_int"] = x => x[0][1],
            ["index_negative"] = x => x[0][-1],
            ["index_symbolic"] = x => x[0][x[1]],
            ["index_two"] = x => x[0][1, 2],
            ["slice_symbolic"] = x => x[0][slice(x[1], x[2])],
            ["slice_negative_start"] = x => x[0][slice(-2, null)],
            ["slice_step"] = x => x[0][slice(null, null, 2)],
            ["slice_reverse"] = x => x[0][slice(null, null, -1)],
            ["slice_second_axis"] = x => x[0][slice(null, null), slice(1, 3)],
            ["index_then_slice"] = x => x[0][x[1], slice(x[2], null)],
            ["advanced_arange_labels"] = x => x[0][arange(x[0].shape[0]), x[1]],
            ["advanced_vector"] = x => x[0][x[1]],
            ["advanced_rows"] = x => x[0][x[1]],

            ["softmax_vector"] = x => nnet.softmax(x[0]),
            ["softmax_matrix"] = x => nnet.softmax(x[0]),
            ["categorical_crossentropy_labels"] = x => nnet.categorical_crossentropy(x[0], x[1]),
            ["categorical_crossentropy_onehot"] = x => nnet.categorical_crossentropy(x[0], x[1]),
            ["categorical_crossentropy_soft"] = x => nnet.categorical_crossentropy(x[0], x[1]),
            ["binary_crossentropy"] = x => nnet.binary_crossentropy(x[0], x[1]),
            ["log_softmax"] = x => log(nnet.softmax(x[0])),
            ["log_sigmoid"] = x => log(sigmoid(x[0])),
            ["log_one_minus_sigmoid"] = x => log(1 - sigmoid(x[0])),
            ["log_one_plus_exp"] = x => log(1 + exp(x[0])),
            ["sigmoid_from_exp"] = x => 1 / (1 + exp(-x[0])),
        };
        Func<Variable, int?, bool, Variable>[] reductions =
        [
            (v, axis, keep) => v.sum(axis, keep), (v, axis, keep) => v.mean(axis, keep),
            (v, axis, keep) => v.max(axis, keep), (v, axis, keep) => v.min(axis, keep),
            (v, axis, keep) => v.prod(axis, keep),
        ];
        string[] kinds = ["sum", "mean", "max", "min", "prod"];
        for (var k = 0; k < kinds.Length; k++)
        {
            var reduce = reductions[k];
            e[$"{kinds[k]}_all"] = x => reduce(x[0], null, false);
            e[$"{kinds[k]}_axis0"] = x => reduce(x[0], 0, false);
            e[$"{kinds[k]}_axis1"] = x => reduce(x[0], 1, false);
            e[$"{kinds[k]}_axis_last"] = x => reduce(x[0], -1, false);
            e[$"{kinds[k]}_axis1_keepdims"] = x => reduce(x[0], 1, true);
            e[$"{kinds[k]}_all_keepdims"] = x => reduce(x[0], null, true);
        }
        return e;
    }

    /// <summary>Plain symbolic inputs matching the dtypes and ranks of <paramref name="values"/>.</summary>
    public static Variable[] InputsFor(IEnumerable<NDArray> values) =>
        [.. values.Select((v, i) => tensor(v.dtype, new bool[v.ndim], $"x{i}"))];
}
