using Theon.Tests.Ops;
using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// Theano's <c>ShapeFeature</c> and <c>local_shape_to_shape_i</c> (theano/tensor/opt.py): <c>shape(v)[i]</c> of a
/// computed <c>v</c> is replaced by the i-th dimension of its op's <c>infer_shape</c>, built from the inputs' shapes,
/// so a shape no longer needs the value it describes. Every op's InferShape is therefore checked against numpy.
/// </summary>
public class ShapeFeatureTests
{
    public static TheoryData<string> CaseNames =>
        [.. OpFixtures.All.Where(c => c.Value.Expected.ndim > 0).Select(c => c.Key).Order()];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_ops_inferred_shape_is_numpys_shape(string name)
    {
        var fixture = OpFixtures.All[name];
        var inputs = OpCatalog.InputsFor(fixture.Inputs);
        var v = OpCatalog.Expressions[name](inputs);
        var dims = stack([.. Enumerable.Range(0, v.ndim).Select(axis => shape(v)[axis])]);

        foreach (var backend in new[] { "cpu", "reference" })
        {
            var f = function(inputs, dims, on_unused_input: "ignore", backend: backend);
            var actual = f([.. fixture.Inputs.Cast<object>()]).ToFlatArray<long>();
            Assert.Equal(fixture.Expected.shape.Select(n => (long)n), actual);
        }
    }

    [Fact]
    public void The_shape_of_a_product_reads_its_operands_shapes_and_computes_no_product()
    {
        var (x, w) = (dmatrix("x"), dmatrix("w"));

        var f = function([x, w], shape(dot(x, w))[0] * shape(dot(x, w))[1]);

        Assert.Equal(12L, (long)f(np.zeros(3, 5), np.zeros(5, 4)));
        Assert.DoesNotContain("dot", debugprint(f));
        Assert.DoesNotContain("Dot", debugprint(f));
    }

    [Fact]
    public void A_negative_axis_counts_from_the_end()
    {
        var x = dmatrix("x");

        var f = function([x], shape(exp(x))[-1]);

        Assert.Equal(7L, (long)f(np.ones(2, 7)));
        Assert.DoesNotContain("exp", debugprint(f));
    }

    [Fact]
    public void A_shape_known_only_from_the_value_still_comes_from_the_value()
    {
        var (x, i) = (dvector("x"), lscalar("i"));

        var f = function([x, i], shape(x[slice(i, null)])[0]);

        Assert.Equal(3L, (long)f(NDArray.FromArray(new[] { 0.0, 1, 2, 3, 4 }), 2L));
    }

    [Fact]
    public void The_mean_of_a_crossentropy_still_becomes_the_fused_op_and_divides_by_the_labels_length()
    {
        // stabilize matches -log(softmax(x))[arange(y.shape[0]), y] as written; the shape rule runs after it
        var (x, y) = (dmatrix("x"), ivector("y"));

        var f = function([x, y], nnet.categorical_crossentropy(nnet.softmax(x), y).mean());

        var printed = debugprint(f);
        Assert.Contains("CrossentropySoftmax1Hot", printed);
        Assert.Single(printed.Split('\n'), line => line.Contains("CrossentropySoftmax1Hot"));
        Assert.Equal(Math.Log(3), (double)f(np.zeros(2, 3), NDArray.FromArray(new[] { 0, 2 })), 12);
    }
}
