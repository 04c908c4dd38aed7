using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>
/// <c>config.compute_test_value</c> with scan, as in Theano: the step's placeholders take their first step's test
/// values, so a shape mistake in the step raises where <c>fn</c> builds it, and the gradient still builds.
/// </summary>
[Collection("GlobalConfig")]
public class ScanTestValueTests
{
    private static readonly GradientPoints Points = new(31);

    [Fact]
    public void ShapeMistakeInTheStepRaisesWhereItIsBuilt()
    {
        config.compute_test_value = "raise";
        try
        {
            var x = dtensor3("x");
            x.tag.test_value = Points.Normal(3, 2, 3);
            var h0 = dmatrix("h0");
            h0.tag.test_value = Points.Normal(2, 4);
            var w = shared(Points.Normal(3, 5), "W");
            var e = Assert.Throws<ArgumentException>(() =>
                scan((xt, hPrev) => tanh(dot(xt, w) + hPrev), sequences: x, outputs_info: h0));
            Assert.Contains("(2, 5)", e.Message);
            Assert.Contains("(2, 4)", e.Message);
        }
        finally
        {
            config.compute_test_value = "off";
        }
    }

    [Fact]
    public void ElmanRnnAndItsGradientBuildWithTestValues()
    {
        config.compute_test_value = "raise";
        try
        {
            var point = ScanIdiomTests.ElmanPoint(Points, steps: 3);
            var inputs = new[] { dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V") };
            for (var i = 0; i < inputs.Length; i++) inputs[i].tag.test_value = point[i];
            var (h, y) = ScanIdiomTests.Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
            Assert.Equal([3, 2, 2], y.tag.test_value!.shape);
            var gradients = grad(sqr(y).sum(), [inputs[2], inputs[3]]);
            Assert.Equal([3, 4], gradients[0].tag.test_value!.shape);
            var f = function(inputs, gradients);
            Assert.Equal(gradients[1].tag.test_value!.ToFlatArray<double>(),
                f([.. point.Cast<object>()])[1].ToFlatArray<double>(), new ScanIdiomTests.Tolerance(1e-9));
        }
        finally
        {
            config.compute_test_value = "off";
        }
    }
}
