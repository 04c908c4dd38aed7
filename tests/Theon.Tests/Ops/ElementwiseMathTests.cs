using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>
/// The elementwise math functions of Theano's tensor API: output dtypes (theano.scalar.basic's
/// <c>upgrade_to_float</c>), debugprint names (the scalar op's name) and pp (a <c>FunctionPrinter</c> of the function's
/// name). Values are in <c>OpForwardTests</c>, gradients in <c>VerifyGradTests</c>.
/// </summary>
public class ElementwiseMathTests
{
    private static readonly Dictionary<string, Func<Variable, Variable>> FloatFunctions = new()
    {
        ["sin"] = sin, ["cos"] = cos, ["tan"] = tan, ["arcsin"] = arcsin, ["arccos"] = arccos, ["arctan"] = arctan,
        ["sinh"] = sinh, ["cosh"] = cosh, ["arcsinh"] = arcsinh, ["arccosh"] = arccosh, ["arctanh"] = arctanh,
        ["exp2"] = exp2, ["expm1"] = expm1, ["log2"] = log2, ["log10"] = log10, ["inv"] = inv,
        ["floor"] = floor, ["trunc"] = trunc, ["deg2rad"] = deg2rad, ["rad2deg"] = rad2deg,
        ["round_half_to_even"] = x => round(x), ["round_half_away_from_zero"] = x => round(x, "half_away_from_zero"),
    };

    public static TheoryData<string> FloatFunctionNames => [.. FloatFunctions.Keys];

    [Theory]
    [MemberData(nameof(FloatFunctionNames))]
    public void Integers_upgrade_to_float(string name)
    {
        var f = FloatFunctions[name];
        Assert.Equal("float32", f(tensor("int8", [false], "x")).dtype);
        Assert.Equal("float32", f(tensor("int16", [false], "x")).dtype);
        Assert.Equal("float64", f(tensor("int32", [false], "x")).dtype);
        Assert.Equal("float64", f(tensor("int64", [false], "x")).dtype);
        Assert.Equal("float32", f(fvector("x")).dtype);
        Assert.Equal("float64", f(dvector("x")).dtype);
    }

    [Theory]
    [MemberData(nameof(FloatFunctionNames))]
    public void Debugprint_names_the_scalar_op_and_pp_calls_the_function(string name)
    {
        var y = FloatFunctions[name](dvector("x"));
        Assert.StartsWith($"Elemwise{{{name},no_inplace}} [id A]", debugprint(y));
        Assert.Equal($"{name}(x)", pp(y));
    }

    // 1000 elements: the CPU backend's fused loop runs its vector form (where the op has one) and its scalar tail.
    [Theory]
    [MemberData(nameof(FloatFunctionNames))]
    public void The_cpu_loop_computes_what_the_reference_computes(string name)
    {
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var x = tensor(dtype, [false], "x");
            var values = np.linspace(-3, 3, 1000).astype(dtype);
            var expected = function([x], FloatFunctions[name](x), backend: "reference")(values);
            var actual = function([x], FloatFunctions[name](x), backend: "cpu")(values);
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        }
    }

    [Fact]
    public void A_small_integer_computes_in_float32()
    {
        var x = tensor("int8", [false], "x");
        var result = function([x], sin(x))(NDArray.FromArray(new sbyte[] { 1, -2 }));
        Assert.Equal("float32", result.dtype);
        Assert.Equal(new[] { MathF.Sin(1), MathF.Sin(-2) }, result.ToFlatArray<float>());
    }

    [Fact]
    public void Reciprocal_is_inv()
    {
        var x = dvector("x");
        Assert.Equal(inv(x).owner!.op, reciprocal(x).owner!.op);
        Assert.Equal("inv(x)", pp(reciprocal(x)));
    }

    [Fact]
    public void The_inverse_of_an_integer_is_a_float()
    {
        // theano.scalar.basic.Inv uses upgrade_to_float: 1 / 2 is 0.5, not numpy's integer reciprocal 0
        var x = ivector("x");
        Assert.Equal(new[] { 0.5, -0.25, 1 }, function([x], inv(x))(new[] { 2, -4, 1 }).ToFlatArray<double>());
    }

    [Fact]
    public void Rounding_has_a_zero_gradient()
    {
        // theano.scalar.basic.Floor.L_op and Trunc.grad return x.zeros_like()
        var (w, x) = (dvector("w"), dvector("x"));
        foreach (var round in new Func<Variable, Variable>[] { floor, trunc, round_half_to_even,
            round_half_away_from_zero })
        {
            var g = grad((round(w) * x).sum(), w);
            var f = function([w, x], g, on_unused_input: "ignore");
            Assert.Equal(new[] { 0.0, 0, 0 }, f(new[] { -0.5, 0.5, 1.5 }, new[] { 1.0, 2, 3 }).ToFlatArray<double>());
        }
    }

    [Fact]
    public void Rounding_keeps_halves_and_signed_zeros_as_numpy_does()
    {
        // numpy: floor(-0.5) is -1, trunc(-0.5) is -0.0, floor(-0.0) is -0.0
        var x = dvector("x");
        var f = function([x], [floor(x), trunc(x)]);
        var result = f(new[] { -0.5, 0.5, -1.5, -0.0, 2.0 });
        Assert.Equal(new[] { -1.0, 0, -2, -0.0, 2 }, result[0].ToFlatArray<double>());
        Assert.Equal(new[] { -0.0, 0, -1, -0.0, 2 }, result[1].ToFlatArray<double>());
        Assert.True(double.IsNegative(result[1].ToFlatArray<double>()[0]));
    }

    [Fact]
    public void Isnan_and_isinf_give_bool_as_numpy_does()
    {
        // Arguments may not hold NaN, so the values come from x / y: [0/0, 1/0, -1/0, 0/1, 1/1] = [nan, inf, -inf, 0, 1].
        // numpy: isnan of those is [T, F, F, F, F], isinf [F, T, T, F, F]
        foreach (var dtype in new[] { "float64", "float32" })
        {
            var (x, y) = (tensor(dtype, [false], "x"), tensor(dtype, [false], "y"));
            var numerators = NDArray.FromArray(new[] { 0.0, 1, -1, 0, 1 }).astype(dtype);
            var denominators = NDArray.FromArray(new[] { 0.0, 0, 0, 1, 1 }).astype(dtype);
            foreach (var backend in new[] { "cpu", "reference" })
            {
                var result = function([x, y], [isnan(x / y), isinf(x / y)], backend: backend)(numerators, denominators);
                Assert.Equal("bool", result[0].dtype);
                Assert.Equal(new[] { true, false, false, false, false }, result[0].ToFlatArray<bool>());
                Assert.Equal(new[] { false, true, true, false, false }, result[1].ToFlatArray<bool>());
            }
        }
    }

    [Theory]
    [InlineData("isnan")]
    [InlineData("isinf")]
    public void Isnan_and_isinf_are_bool_for_every_dtype_and_print_their_names(string name)
    {
        Func<Variable, Variable> f = name == "isnan" ? isnan : isinf;
        foreach (var dtype in new[] { "int8", "int32", "int64", "float32", "float64" })
            Assert.Equal("bool", f(tensor(dtype, [false], "x")).dtype);
        var y = f(dvector("x"));
        Assert.StartsWith($"Elemwise{{{name},no_inplace}} [id A]", debugprint(y));
        Assert.Equal($"{name}(x)", pp(y));
    }

    [Fact]
    public void Round_breaks_ties_by_theanos_two_modes()
    {
        // np.round: half to even; theano's round_half_away_from_zero: C's round. Theano's default is half_to_even.
        var x = dvector("x");
        var f = function([x], [round(x), round(x, "half_away_from_zero")]);
        var result = f(new[] { 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6 });
        Assert.Equal(new[] { 0.0, 2, 2, -0.0, -2, -2, 2, -3 }, result[0].ToFlatArray<double>());
        Assert.Equal(new[] { 1.0, 2, 3, -1, -2, -3, 2, -3 }, result[1].ToFlatArray<double>());
        Assert.Throws<ArgumentException>(() => round(x, "half_up"));
    }

    [Fact]
    public void Arctan2_picks_the_quadrant_and_upgrades_integers_to_float()
    {
        // numpy: arctan2(1, -1) = 3pi/4, arctan2(-0.0, -1) = -pi, arctan2(0, 0) = 0; int32 inputs give float64
        var (y, x) = (dvector("y"), dvector("x"));
        var f = function([y, x], arctan2(y, x));
        Assert.Equal(new[] { 3 * Math.PI / 4, -Math.PI, Math.PI, 0 },
            f(new[] { 1.0, -0.0, 0.0, 0.0 }, new[] { -1.0, -1, -1, 0 }).ToFlatArray<double>());
        Assert.Equal("float64", arctan2(ivector("a"), ivector("b")).dtype);
        Assert.Equal("float32", arctan2(fvector("a"), tensor("int8", [false], "b")).dtype);
        Assert.Equal("arctan2(y, x)", pp(arctan2(y, x)));
    }

    [Fact]
    public void Arctan2_gradient_is_theanos()
    {
        // ArcTan2.L_op: [gz * x / (x^2 + y^2), gz * -y / (x^2 + y^2)]
        var (y, x) = (dscalar("y"), dscalar("x"));
        var g = function([y, x], grad(arctan2(y, x), [y, x]));
        var result = g(3.0, 4.0);
        Assert.Equal(4.0 / 25, result[0].ToFlatArray<double>()[0], 15);
        Assert.Equal(-3.0 / 25, result[1].ToFlatArray<double>()[0], 15);
    }

    [Fact]
    public void Mod_and_int_div_follow_pythons_signs()
    {
        // Python and numpy: 7 % -2 == -1, -7 // 2 == -4, x == (x // y) * y + x % y; integers by zero give 0
        var (a, b) = (lvector("a"), lvector("b"));
        var f = function([a, b], [a % b, int_div(a, b)]);
        var result = f(new long[] { 7, -7, 7, -7, 5 }, new long[] { 2, 2, -2, -2, 0 });
        Assert.Equal(new long[] { 1, 1, -1, -1, 0 }, result[0].ToFlatArray<long>());
        Assert.Equal(new long[] { 3, -4, -4, 3, 0 }, result[1].ToFlatArray<long>());
        Assert.Equal("int64", result[1].dtype);
        Assert.Equal("int8", mod(tensor("bool", [false], "p"), tensor("bool", [false], "q")).dtype);
        Assert.Equal("float64", floor_div(ivector("i"), dvector("d")).dtype);
        Assert.Equal("(a % b)", pp(a % b));
    }

    [Fact]
    public void Mod_gradient_is_theanos_and_int_div_has_none()
    {
        // Mod.L_op: [gz, -(x // y) * gz]; IntDiv.L_op: zeros
        var (x, y) = (dscalar("x"), dscalar("y"));
        var g = function([x, y], [.. grad(x % y, [x, y]), .. grad(int_div(x, y) * x, [y])]);
        var result = g(7.5, -2.0);
        Assert.Equal(1.0, result[0].ToFlatArray<double>()[0]);
        Assert.Equal(4.0, result[1].ToFlatArray<double>()[0]);
        Assert.Equal(0.0, result[2].ToFlatArray<double>()[0]);
    }

    [Fact]
    public void The_cpu_loop_divides_as_the_reference_does()
    {
        foreach (var dtype in new[] { "float64", "float32", "int64" })
        {
            var (a, b) = (tensor(dtype, [false], "a"), tensor(dtype, [false], "b"));
            var x = np.linspace(-50, 50, 1000).astype(dtype);
            var y = np.linspace(-7, 6, 1000).astype(dtype);
            var expected = function([a, b], [a % b, int_div(a, b)], backend: "reference")(x, y);
            var actual = function([a, b], [a % b, int_div(a, b)], backend: "cpu")(x, y);
            for (var i = 0; i < 2; i++)
                Assert.Equal(expected[i].ToFlatArray<double>(), actual[i].ToFlatArray<double>());
        }
    }

    [Fact]
    public void Bit_ops_keep_bools_bool_and_refuse_floats()
    {
        // numpy: 12 & 10 == 8, 12 | 10 == 14, 12 ^ 10 == 6, ~12 == -13, ~True == False; Theano's bit ops take no floats
        var (a, b) = (lvector("a"), lvector("b"));
        var f = function([a, b], [a & b, a | b, a ^ b, ~a], backend: "cpu");
        var result = f(new long[] { 12, -1 }, new long[] { 10, 5 });
        Assert.Equal(new long[] { 8, 5 }, result[0].ToFlatArray<long>());
        Assert.Equal(new long[] { 14, -1 }, result[1].ToFlatArray<long>());
        Assert.Equal(new long[] { 6, -6 }, result[2].ToFlatArray<long>());
        Assert.Equal(new long[] { -13, 0 }, result[3].ToFlatArray<long>());
        var (p, q) = (tensor("bool", [false], "p"), tensor("bool", [false], "q"));
        Assert.Equal("bool", (p & q).dtype);
        Assert.Equal("bool", invert(p).dtype);
        Assert.Equal("int64", and_(ivector("i"), lvector("l")).dtype);
        Assert.Throws<ArgumentException>(() => and_(dvector("d"), ivector("i")));
        Assert.Throws<ArgumentException>(() => invert(fvector("x")));
        Assert.Equal("(p & q)", pp(p & q));
    }

    [Fact]
    public void Bit_ops_have_no_gradient()
    {
        var (x, i) = (dvector("x"), lvector("i"));
        var g = function([x, i], grad((x * (i & 1)).sum(), x));
        Assert.Equal(new[] { 1.0, 0, 1 }, g(new[] { 5.0, 6, 7 }, new long[] { 1, 2, 3 }).ToFlatArray<double>());
    }
}
