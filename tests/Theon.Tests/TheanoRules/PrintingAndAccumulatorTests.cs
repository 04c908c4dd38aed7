using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// A C# integer index is Theano's <c>ScalarConstant</c> (<c>theano.tensor.subtensor.make_constant</c>), which
/// <c>theano.gof.graph.Constant.__str__</c> prints <c>Constant{1}</c>; a sum or product accumulates and returns the
/// dtype of <c>theano.tensor.elemwise.CAReduceDtype._acc_dtype</c> and <c>_output_dtype</c>.
/// </summary>
public class PrintingAndAccumulatorTests
{
    private static readonly Variable x = dvector("x"), m = dmatrix("m");

    [Fact]
    public void PpPrintsAConstantIndexAsTheano()
    {
        // theano.tensor.subtensor.SubtensorPrinter prints the index input with the constant's str
        Assert.Equal("x[Constant{1}]", pp(x[1]));
        Assert.Equal("x[Constant{-1}]", pp(x[-1]));
        Assert.Equal("m[Constant{1}, :Constant{2}]", pp(m[1, slice(null, 2)]));
        Assert.Equal("(x[Constant{1}] + x[Constant{2}])", pp(function([x], x[1] + x[2])));
    }

    [Fact]
    public void DebugprintShowsTheIndexConstant()
    {
        var text = debugprint(x[1]);

        Assert.Contains("Subtensor{int64} [id A]", text);
        Assert.Contains("|Constant{1} [id C]", text);
    }

    [Fact]
    public void ASymbolicIndexKeepsItsName() => Assert.Equal("x[i]", pp(x[lscalar("i")]));

    [Theory]
    [InlineData("int8", "int64")]
    [InlineData("int32", "int64")]
    [InlineData("int64", "int64")]
    [InlineData("bool", "int64")]
    [InlineData("float32", "float64")]
    [InlineData("float64", "float64")]
    public void TheAccumulatorIsTheanos(string dtype, string accumulator)
    {
        var v = tensor(dtype, [false], "v");

        Assert.Contains($"Sum{{acc_dtype={accumulator}}}", debugprint(v.sum()));
        Assert.Contains($"Prod{{axis=[0], acc_dtype={accumulator}}}", debugprint(v.prod(0)));
    }

    [Theory]
    [InlineData("int8", "int64")]
    [InlineData("int32", "int64")]
    [InlineData("bool", "int64")]
    [InlineData("float32", "float32")]
    [InlineData("float64", "float64")]
    public void TheResultDTypeIsTheanos(string dtype, string result)
    {
        var v = tensor(dtype, [false], "v");

        Assert.Equal(result, v.sum().dtype);
        Assert.Equal(result, v.prod().dtype);
    }

    [Fact]
    public void UnsignedIntegersAccumulateInInt64()
    {
        // Theano accumulates uint8 in uint64, a dtype Theon does not have (docs/ARCHITECTURE.md)
        var v = tensor("uint8", [false], "v");

        Assert.Equal("int64", v.sum().dtype);
        Assert.Equal(510L, (long)function([v], v.sum())(new byte[] { 255, 255 }));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void AFloat32SumAccumulatesInFloat64(string backend)
    {
        // in float32, 1e8 + 1 is 1e8, so a float32 accumulator would give 0
        var v = fvector("v");
        var f = function([v], v.sum(), backend: backend);

        Assert.Equal(1f, f(new[] { 1e8f, 1f, -1e8f }).GetItem<float>());
    }
}
