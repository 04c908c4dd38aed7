using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// Theano's <c>theano.scalar.basic.TrueDiv.output_types</c>: two integer (or bool) operands divide into floatX,
/// computed in double (<c>TrueDiv.c_code</c>: <c>((double)x) / y</c>); with a float operand, the upcast of the inputs.
/// The small-int-to-float32 rule of <c>upgrade_to_float</c> stays with <c>exp</c>, <c>log</c> and the like.
/// </summary>
public class TrueDivTests
{
    [Theory]
    [InlineData("int8", "int8")]
    [InlineData("int16", "uint8")]
    [InlineData("int32", "int32")]
    [InlineData("int64", "int8")]
    [InlineData("bool", "int32")]
    public void IntegersDivideIntoFloatX(string a, string b)
    {
        var (x, y) = (tensor(a, [], "x"), tensor(b, [], "y"));

        var quotient = x / y;

        Assert.Equal("float64", quotient.dtype);
        foreach (var backend in new[] { "cpu", "reference" })
            Assert.Equal(1.0 / 3, (double)function([x, y], quotient, backend: backend)(1, 3));
    }

    [Theory]
    [InlineData("int8", "float32", "float32")]
    [InlineData("int32", "float32", "float64")]
    [InlineData("float32", "int64", "float64")]
    [InlineData("float32", "float32", "float32")]
    public void WithAFloatOperandTheInputsUpcast(string a, string b, string expected) =>
        Assert.Equal(expected, (tensor(a, [], "x") / tensor(b, [], "y")).dtype);

    [Fact]
    public void ExpOfASmallIntegerKeepsUpgradeToFloat()
    {
        // theano.scalar.basic.upgrade_to_float: int8 and int16 to float32, wider integers to float64
        Assert.Equal("float32", exp(bvector("b")).dtype);
        Assert.Equal("float64", exp(ivector("i")).dtype);
    }
}

/// <summary>The same rule when floatX is float32: integer quotients are float32.</summary>
[Collection("GlobalConfig")]
public class TrueDivFloatXTests
{
    [Fact]
    public void IntegersDivideIntoFloat32()
    {
        // theano.scalar.basic.TrueDiv.output_types: get_scalar_type(config.floatX)
        var saved = config.floatX;
        config.floatX = "float32";
        try
        {
            var (i, j) = (iscalar("i"), iscalar("j"));
            var f = function([i, j], i / j);

            Assert.Equal("float32", (i / j).dtype);
            Assert.Equal((float)(1.0 / 3), f(1, 3).GetItem<float>());
        }
        finally
        {
            config.floatX = saved;
        }
    }

    [Fact]
    public void ARangeLengthIsDividedInFloat64()
    {
        // theano.tensor.basic.ARange.infer_shape casts stop - start to float64 before dividing by step
        var saved = config.floatX;
        config.floatX = "float32";
        try
        {
            var stop = lscalar("stop");
            var node = arange(stop).owner!;
            var length = node.op.InferShape(node, [[], [], []])[0][0];

            Assert.Equal(16_777_217L, (long)function([stop], length)(16_777_217L));
        }
        finally
        {
            config.floatX = saved;
        }
    }
}
