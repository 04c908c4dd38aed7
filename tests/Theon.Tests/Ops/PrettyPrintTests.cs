using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>
/// pp of each op family. Operators follow Theano's OperatorPrinter (every application parenthesized, <c>(-x)</c>
/// included), functions its FunctionPrinter (<c>exp(x)</c>), abs its PatternPrinter (<c>|x|</c>), dimshuffles its
/// DimShufflePrinter, and every other op its DefaultPrinter: <c>str(op)(inputs)</c>.
/// </summary>
public class PrettyPrintTests
{
    private static readonly Variable x = dvector("x"), y = dvector("y"), z = dvector("z");
    private static readonly Variable m = dmatrix("m"), w = dmatrix("w"), t = dtensor3("t");
    private static readonly Variable i = lscalar("i"), j = lscalar("j"), labels = ivector("labels");

    public static TheoryData<string, string> Cases => new()
    {
        { pp(x + y), "(x + y)" },
        { pp(add(x, y, z)), "(x + y + z)" },
        { pp(x - y), "(x - y)" },
        { pp(x * y * z), "((x * y) * z)" },
        { pp(x / y), "(x / y)" },
        { pp(pow(x, y)), "(x ** y)" },
        { pp(-x), "(-x)" },
        { pp(-(x + y)), "(-(x + y))" },
        { pp(abs(x)), "|x|" },
        { pp(exp(x)), "exp(x)" },
        { pp(log(x)), "log(x)" },
        { pp(log1p(x)), "log1p(x)" },
        { pp(sqrt(x)), "sqrt(x)" },
        { pp(sqr(x)), "sqr(x)" },
        { pp(tanh(x)), "tanh(x)" },
        { pp(sigmoid(x)), "sigmoid(x)" },
        { pp(nnet.sigmoid(x)), "sigmoid(x)" },
        { pp(softplus(x)), "softplus(x)" },
        { pp(maximum(x, y)), "maximum(x, y)" },
        { pp(minimum(x, y)), "minimum(x, y)" },
        { pp(clip(x, y, z)), "clip(x, y, z)" },
        { pp(lt(x, y)), "lt(x, y)" },
        { pp(x > y), "gt(x, y)" },
        { pp(le(x, y)), "le(x, y)" },
        { pp(ge(x, y)), "ge(x, y)" },
        { pp(eq(x, y)), "eq(x, y)" },
        { pp(neq(x, y)), "neq(x, y)" },
        { pp(@switch(lt(x, y), x, y)), "switch(lt(x, y), x, y)" },
        { pp(cast(x, "int32")), "convert_to_int32(x)" },
        { pp(fill(x, y)), "fill(x, y)" },
        { pp(zeros_like(x)), "fill(x, TensorConstant{0.0})" },
        { pp(ones_like(labels)), "fill(labels, TensorConstant{1})" },

        { pp(x * 2), "(x * TensorConstant{2})" },
        { pp(0.5 * x), "(TensorConstant{0.5} * x)" },
        { pp(1 - x), "(TensorConstant{1} - x)" },
        { pp(pow(2, x)), "(TensorConstant{2} ** x)" },

        { pp(dot(m, w)), "(m \\dot w)" },
        { pp(dot(x, y)), "(x \\dot y)" },
        { pp(dot(m, x) + y), "((m \\dot x) + y)" },
        { pp(m.T), "m.T" },
        { pp(t.T), "t.T" },
        { pp(x.dimshuffle('x', 0)), "x" },
        { pp(m.dimshuffle('x', 1, 0)), "m.T" },
        { pp(m.dimshuffle(1, 'x', 0)), "DimShuffle{1, x, 0}(m)" },
        { pp(t.dimshuffle(2, 0, 1)), "DimShuffle{2, 0, 1}(t)" },
        { pp(m + x), "(m + x)" },

        { pp(m.sum()), "Sum{acc_dtype=float64}(m)" },
        { pp(m.sum(1)), "Sum{axis=[1], acc_dtype=float64}(m)" },
        { pp(t.prod(-1)), "Prod{axis=[2], acc_dtype=float64}(t)" },
        { pp(m.sum(0, keepdims: true)), "Sum{axis=[0], acc_dtype=float64}(m)" },
        { pp(nnet.softmax(m)), "Softmax(m)" },
        { pp(m.shape), "Shape(m)" },
        { pp(reshape(m, lvector("s"), 2)), "Reshape{2}(m, s)" },
        { pp(concatenate([m, w], axis: 1)), "Join(TensorConstant{1}, m, w)" },
        { pp(stack([i, j])), "[i, j]" },
        { pp(ifelse(i, x, y)), "if{}(i, x, y)" },

        { pp(x[i]), "x[i]" },
        { pp(x[slice(i, j)]), "x[i:j]" },
        { pp(m[slice(null, null), slice(i, null)]), "m[:, i:]" },
        { pp(x[slice(null, null, i)]), "x[::i]" },
        { pp(m[arange(i), labels]), "m[ARange{dtype='int64'}(TensorConstant{0}, i, TensorConstant{1}), labels]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintsAsTheano(string actual, string expected) => Assert.Equal(expected, actual);

    [Fact]
    public void GradientOfAProductPrintsItsPullback()
    {
        var cost = (x * y).sum();

        // the cost's gradient is fill(cost, 1.0); Sum's pullback fills it back to the shape of its input
        Assert.Equal(
            "(fill((x * y), fill(Sum{acc_dtype=float64}((x * y)), TensorConstant{1.0})) * y)",
            pp(grad(cost, x)));
    }

    [Fact]
    public void CompiledFunctionPrintsItsOptimizedGraph()
    {
        var f = function([x], x * 1 + 0);

        Assert.Equal("x", pp(f));
    }
}
