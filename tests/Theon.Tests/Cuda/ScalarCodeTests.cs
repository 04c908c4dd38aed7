using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Tests.Cuda;

public class ScalarCodeTests
{
    /// <summary>
    /// One instance of every ScalarOp record in Theon; a new record without a CUDA row fails the first test.
    /// </summary>
    public static IEnumerable<ScalarOp> AllScalarOps() =>
        typeof(ScalarOp).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ScalarOp)) && !t.IsAbstract)
            .SelectMany(t => t == typeof(Compare)
                ? new ScalarOp[] { Compare.Lt, Compare.Gt, Compare.Le, Compare.Ge, Compare.Eq, Compare.Neq }
                : t == typeof(Cast)
                    ? [new Cast(DType.Float32), new Cast(DType.Int64), new Cast(DType.Bool)]
                    : [(ScalarOp)t.GetField("Op")!.GetValue(null)!]);

    [Fact]
    public void Every_scalar_op_record_has_a_row() =>
        Assert.All(AllScalarOps(), op => Assert.True(ScalarCode.Supports(op), $"no CUDA row for {op.GetType().Name}"));

    [Theory]
    [InlineData("float32", "expf(a)")]
    [InlineData("float64", "exp(a)")]
    public void Float_functions_take_the_precision_of_their_operand(string dtype, string expected) =>
        Assert.Equal(expected, ScalarCode.Expression(Exp.Op, ["a"], [DType.Parse(dtype)]));

    [Fact]
    public void Operands_are_converted_to_the_upcast_type_first() =>
        Assert.Equal("(((double)(a)) + b)", ScalarCode.Expression(Add.Op, ["a", "b"], [DType.Int32, DType.Float64]));

    [Fact]
    public void Integer_exp_computes_in_float64() =>
        Assert.Equal("exp(((double)(a)))", ScalarCode.Expression(Exp.Op, ["a"], [DType.Int64]));

    [Fact]
    public void Comparisons_compare_in_the_common_type_and_give_bool() =>
        Assert.Equal("(((double)(a)) < b)", ScalarCode.Expression(Compare.Lt, ["a", "b"], [DType.Int64,
            DType.Float64]));

    [Fact]
    public void Casting_to_bool_tests_for_non_zero() =>
        Assert.Equal("(a != 0)", ScalarCode.Expression(new Cast(DType.Bool), ["a"], [DType.Float32]));

    [Fact]
    public void Maximum_propagates_nan_like_numpy() =>
        Assert.Equal("((a != a || a > b) ? a : b)", ScalarCode.Expression(Maximum.Op, ["a", "b"], [DType.Float32,
            DType.Float32]));

    [Fact]
    public void Two_integers_divide_in_float64_whatever_the_output_type() =>
        Assert.Equal("(((double)(a)) / ((double)(b)))", ScalarCode.Expression(TrueDiv.Op, ["a", "b"],
            [DType.Int32, DType.Int32]));

    [Fact]
    public void Integer_power_uses_the_exact_helper() =>
        Assert.Equal("theon_ipow(a, b)", ScalarCode.Expression(Pow.Op, ["a", "b"], [DType.Int64, DType.Int64]));
}
