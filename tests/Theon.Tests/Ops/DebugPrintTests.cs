using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>
/// debugprint as Theano prints it: one line per variable, children under " |", a node's line ending in its name in
/// quotes and three spaces (then its position in the execution order for a compiled function), ids [id A], [id B], ...
/// and a node seen before printed without its inputs.
/// </summary>
public class DebugPrintTests
{
    private static readonly Variable x = dvector("x"), y = dvector("y");
    private static readonly Variable m = dmatrix("m"), w = dmatrix("w");
    private static readonly Variable i = lscalar("i"), j = lscalar("j"), labels = ivector("labels");

    private static string Lines(params string[] lines) => string.Join("\n", lines);

    [Fact]
    public void NestedExpressionWithABroadcastConstant()
    {
        Assert.Equal(Lines(
            "Elemwise{add,no_inplace} [id A] ''   ",
            " |Elemwise{mul,no_inplace} [id B] ''   ",
            " | |x [id C]",
            " | |DimShuffle{x} [id D] ''   ",
            " |   |TensorConstant{2} [id E]",
            " |y [id F]"), debugprint(x * 2 + y));
    }

    [Fact]
    public void ANodeUsedTwiceIsPrintedOnce()
    {
        var product = x * y;

        Assert.Equal(Lines(
            "Elemwise{add,no_inplace} [id A] ''   ",
            " |Elemwise{mul,no_inplace} [id B] ''   ",
            " | |x [id C]",
            " | |y [id D]",
            " |Elemwise{mul,no_inplace} [id B] ''   "), debugprint(product + product));
    }

    [Fact]
    public void DotTransposeAndReduction()
    {
        Assert.Equal(Lines(
            "Sum{axis=[1], acc_dtype=float64} [id A] ''   ",
            " |DimShuffle{1,0} [id B] ''   ",
            "   |dot [id C] ''   ",
            "     |m [id D]",
            "     |w [id E]"), debugprint(dot(m, w).T.sum(1)));
    }

    [Fact]
    public void NamedIntermediateVariablesShowTheirNames()
    {
        var hidden = tanh(dot(m, x));
        hidden.name = "hidden";

        Assert.Equal(Lines(
            "Elemwise{tanh,no_inplace} [id A] 'hidden'   ",
            " |dot [id B] ''   ",
            "   |m [id C]",
            "   |x [id D]"), debugprint(hidden));
    }

    [Fact]
    public void CompiledFunctionShowsTheExecutionOrder()
    {
        var f = function([x, y], exp(x) * y);

        Assert.Equal(Lines(
            "Elemwise{mul,no_inplace} [id A] ''   1",
            " |Elemwise{exp,no_inplace} [id B] ''   0",
            " | |x [id C]",
            " |y [id D]"), debugprint(f));
    }

    [Fact]
    public void SeveralOutputsShareIds()
    {
        var e = exp(x);

        Assert.Equal(Lines(
            "Elemwise{exp,no_inplace} [id A] ''   ",
            " |x [id B]",
            "Elemwise{neg,no_inplace} [id C] ''   ",
            " |Elemwise{exp,no_inplace} [id A] ''   "), debugprint([e, -e]));
    }

    [Fact]
    public void UnnamedInputsAndSharedVariablesShowTheirType()
    {
        var v = dvector();
        var s = shared(np.zeros(2));

        Assert.Equal(Lines(
            "Elemwise{add,no_inplace} [id A] ''   ",
            " |<TensorType(float64, vector)> [id B]",
            " |<TensorType(float64, vector)> [id C]"), debugprint(v + s));
    }

    public static TheoryData<string, string> OpNames => new()
    {
        { Top(x - y), "Elemwise{sub,no_inplace}" },
        { Top(x / y), "Elemwise{true_div,no_inplace}" },
        { Top(-x), "Elemwise{neg,no_inplace}" },
        { Top(pow(x, y)), "Elemwise{pow,no_inplace}" },
        { Top(abs(x)), "Elemwise{abs_,no_inplace}" },
        { Top(log(x)), "Elemwise{log,no_inplace}" },
        { Top(log1p(x)), "Elemwise{log1p,no_inplace}" },
        { Top(sqrt(x)), "Elemwise{sqrt,no_inplace}" },
        { Top(sqr(x)), "Elemwise{sqr,no_inplace}" },
        { Top(sigmoid(x)), "Elemwise{scalar_sigmoid,no_inplace}" },
        { Top(softplus(x)), "Elemwise{scalar_softplus,no_inplace}" },
        { Top(maximum(x, y)), "Elemwise{maximum,no_inplace}" },
        { Top(minimum(x, y)), "Elemwise{minimum,no_inplace}" },
        { Top(clip(x, 0, 1)), "Elemwise{clip,no_inplace}" },
        { Top(lt(x, y)), "Elemwise{lt,no_inplace}" },
        { Top(eq(x, y)), "Elemwise{eq,no_inplace}" },
        { Top(@switch(lt(x, y), x, y)), "Elemwise{switch,no_inplace}" },
        { Top(cast(x, "int32")), "Elemwise{Cast{int32}}" },
        { Top(fill(x, y)), "Elemwise{second,no_inplace}" },
        { Top(x.dimshuffle('x', 0)), "DimShuffle{x,0}" },
        { Top(m.dimshuffle(1, 'x', 0)), "DimShuffle{1,x,0}" },
        { Top(m.sum()), "Sum{acc_dtype=float64}" },
        { Top(m.prod(0)), "Prod{axis=[0], acc_dtype=float64}" },
        { Top(x[i]), "Subtensor{int64}" },
        { Top(x[slice(i, j)]), "Subtensor{int64:int64:}" },
        { Top(m[slice(null, null), slice(i, null)]), "Subtensor{::, int64::}" },
        { Top(m[arange(i), labels]), "AdvancedSubtensor" },
        { Top(nnet.softmax(m)), "Softmax" },
        { Top(m.shape), "Shape" },
        { Top(reshape(m, lvector("s"), 2)), "Reshape{2}" },
        { Top(concatenate([m, w])), "Join" },
        { Top(stack([i, j])), "MakeVector{dtype='int64'}" },
        { Top(arange(i)), "ARange{dtype='int64'}" },
        { Top(ifelse(i, x, y)), "if{}" },
    };

    private static string Top(Variable v) => debugprint(v).Split('\n')[0];

    [Theory]
    [MemberData(nameof(OpNames))]
    public void NamesEachOpAsTheano(string firstLine, string opName) =>
        Assert.Equal($"{opName} [id A] ''   ", firstLine);
}
