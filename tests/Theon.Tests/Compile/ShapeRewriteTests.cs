using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Compile;

/// <summary>
/// <c>local_reduce_broadcastable</c> (a reduction over axes of length 1 only drops them) and
/// <c>local_dimshuffle_merge</c> (two dimshuffles become one): they fire, leave the expected nodes, and the values
/// are numpy's.
/// </summary>
public class ShapeRewriteTests
{
    private static IEnumerable<Apply> Nodes(Delegate f) => GraphWalk.TopoSort(CompiledFunction.Of(f).OptimizedOutputs);

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void ASumOverALengthOneAxisIsADimshuffle(string backend)
    {
        var x = tensor("float64", [false, true], "x");
        var f = function([x], x.sum(axis: 1) * 2, backend: backend);
        var value = np.random.RandomState(0).uniform(-1, 1, [5, 1]);

        Assert.Contains("local_reduce_broadcastable", CompiledFunction.Of(f).RewritesApplied);
        Assert.DoesNotContain(Nodes(f), n => n.op is Reduce);
        Assert.True(np.allclose(np.sum(value, 1) * 2, f(value)));
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("max")]
    [InlineData("prod")]
    public void TheOtherAxesAreStillReduced(string kind)
    {
        var x = tensor("float64", [false, true, false], "x");
        var reduction = kind switch { "sum" => sum(x, [1, 2]), "max" => max(max(x, axis: 2), axis: 1), _ => prod(x, axis: 1) };
        var f = function([x], reduction);
        var value = np.random.RandomState(1).uniform(0.5, 1.5, [3, 1, 4]);
        var expected = kind switch
        {
            "sum" => np.sum(np.sum(value, 2), 1),
            "max" => np.max(np.max(value, 2), 1),
            _ => np.prod(value, 1),
        };

        Assert.Contains("local_reduce_broadcastable", CompiledFunction.Of(f).RewritesApplied);
        Assert.DoesNotContain(Nodes(f), n => n.op is Reduce r && (r.Axes is null ? n.inputs[0].type.broadcastable.Any(b => b)
            : r.Axes.Any(a => n.inputs[0].type.broadcastable[a])));
        Assert.True(np.allclose(expected, f(value)));
    }

    [Fact]
    public void AnIntegerSumKeepsItsWiderType()
    {
        var x = tensor("int8", [false, true], "x");
        var f = function([x], x.sum(axis: 1));

        Assert.DoesNotContain("local_reduce_broadcastable", CompiledFunction.Of(f).RewritesApplied);
        Assert.Equal("int64", f(NDArray.FromArray(new sbyte[,] { { 100 }, { -3 } })).dtype);
    }

    [Fact]
    public void TwoDimshufflesBecomeOne()
    {
        var v = dvector("v");
        var f = function([v], dimshuffle(dimshuffle(v, 0, "x"), "x", 1, 0) + 1);
        var value = np.arange(3.0);

        Assert.Contains("local_dimshuffle_merge", CompiledFunction.Of(f).RewritesApplied);
        Assert.Single(Nodes(f), n => n.op is DimShuffle);
        var result = f(value);
        Assert.Equal([1, 1, 3], result.shape);
        Assert.True(np.allclose(np.arange(3.0) + 1, np.reshape(result, 3)));
    }
}
