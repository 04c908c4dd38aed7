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

    [Fact]
    public void A_small_integer_computes_in_float32()
    {
        var x = tensor("int8", [false], "x");
        var result = function([x], sin(x))(NDArray.FromArray(new sbyte[] { 1, -2 }));
        Assert.Equal("float32", result.dtype);
        Assert.Equal(new[] { MathF.Sin(1), MathF.Sin(-2) }, result.ToFlatArray<float>());
    }
}
