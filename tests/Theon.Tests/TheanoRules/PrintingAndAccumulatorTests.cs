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
}
