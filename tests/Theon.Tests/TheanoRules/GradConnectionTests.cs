using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// <c>theano.gradient.grad</c> tells a zero gradient from a disconnected input. A variable that reaches the cost only
/// through comparisons, conditions, argmax, rounding or integer casts has a zero gradient (the ops' <c>grad</c>
/// methods return zeros); one that reaches it only through inputs an op's <c>connection_pattern</c> marks unread (a
/// shape, an index), or not at all, is disconnected and <c>disconnected_inputs</c> decides.
/// </summary>
public class GradConnectionTests
{
    private static readonly Variable x = dvector("x"), w = dvector("w");
    private static readonly NDArray xs = NDArray.FromArray(new[] { 1.0, 2.0, 3.0 });
    private static readonly NDArray ws = NDArray.FromArray(new[] { -0.5, 0.5, 1.5 });

    private static double[] Gradient(Variable cost, Variable wrt)
    {
        var g = grad(cost, wrt);
        Assert.Equal(wrt.type.dtype.IsFloat ? wrt.dtype : config.floatX, g.dtype);
        return function([x, w], g, on_unused_input: "ignore")(xs, ws).ToFlatArray<double>();
    }

    [Fact]
    public void ThroughAComparisonIsZero() =>
        // theano.scalar.basic.LogicalComparison.L_op returns zeros
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient((x * gt(w, 0)).sum(), w));

    [Fact]
    public void ThroughASwitchConditionIsZero() =>
        // theano.scalar.basic.Switch.L_op: the condition's gradient is zeros
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient(@switch(gt(w, 0), x, x * 2).sum(), w));

    [Fact]
    public void ThroughAnIfElseConditionIsZero()
    {
        // theano.ifelse.IfElse.grad: condition_grad = condition.zeros_like()
        var s = dscalar("s");
        var g = grad(ifelse(lt(s, 0), x.sum(), x.prod()), s);

        Assert.Equal(0.0, (double)function([x, s], g, on_unused_input: "ignore")(xs, -1.0));
    }

    [Fact]
    public void ThroughArgmaxIsZero() =>
        // theano.tensor.basic.Argmax.grad returns x.zeros_like() for x
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient((argmax(w) * x).sum(), w));

    [Fact]
    public void ThroughRoundingIsZero() =>
        // theano.scalar.basic.Ceil.L_op returns x.zeros_like()
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient((ceil(w) * x).sum(), w));

    [Fact]
    public void ThroughAnIntegerCastIsZero()
    {
        // theano.scalar.basic.Cast.grad: zeros when the output type is discrete
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient((cast(w, "int32") * x).sum(), w));
        Assert.Equal(new[] { 0.0, 0, 0 }, Gradient(cast(w, "int64").sum(), w));
    }

    [Theory]
    [InlineData("int32")]
    [InlineData("int8")]
    [InlineData("bool")]
    [InlineData("float32")]
    [InlineData("float64")]
    public void GradOfAVariableWithRespectToItselfIsOne(string dtype)
    {
        // theano.gradient.grad seeds the cost with _float_ones_like(cost): floatX for a discrete cost
        var v = tensor(dtype, [], "v");
        var g = grad(v, v);

        Assert.Equal(dtype.StartsWith("float", StringComparison.Ordinal) ? dtype : config.floatX, g.dtype);
        Assert.Equal(1.0, (double)function([v], g)(dtype == "bool" ? (object)true : 1));
    }

    [Fact]
    public void AnIntegerInputGetsTheGradientItWouldHaveAsAFloat()
    {
        // Theano's Op contract (doc/extending/op.txt, integer inputs, examples 2 and 5): through an op with a float
        // output an integer input has the gradient of a float one; through an integer output, zero.
        var labels = ivector("labels");

        var half = grad((cast(labels, "float64") * 0.5).sum(), labels);
        var weighted = grad((labels * x).sum(), labels);
        var rounded = grad((labels * 2).sum(), labels);

        var args = (object)NDArray.FromArray(new[] { 4, 5, 6 });
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, function([labels], half)(args).ToFlatArray<double>());
        Assert.Equal(new[] { 1.0, 2, 3 }, function([labels, x], weighted)(args, xs).ToFlatArray<double>());
        Assert.Equal(new[] { 0.0, 0, 0 }, function([labels], rounded)(args).ToFlatArray<double>());
    }

    [Fact]
    public void ThroughAShapeIsDisconnected() =>
        // theano.compile.ops.Shape.connection_pattern: [[False]]
        Assert.Throws<DisconnectedInputError>(() => grad(cast(shape(w)[0], "float64") * x.sum(), w));

    [Fact]
    public void ThroughAnIndexIsDisconnected() =>
        // theano.tensor.subtensor.Subtensor.connection_pattern: the index inputs are not connected
        Assert.Throws<DisconnectedInputError>(() => grad(x[argmax(w)], w));

    [Fact]
    public void ThroughTheShapeSideOfFillIsDisconnected() =>
        // theano.scalar.basic.Second.connection_pattern: [[False], [True]]
        Assert.Throws<DisconnectedInputError>(() => grad((x + zeros_like(w)).sum(), w));

    [Fact]
    public void SecondDerivativeOfALinearCostIsDisconnected()
    {
        // the gradient of sum(3 * w) reads w only through fill(w, ...), so w is disconnected from it
        var first = grad((w * 3).sum(), w);

        Assert.Throws<DisconnectedInputError>(() => grad(first.sum(), w));
        Assert.Equal(new[] { 0.0, 0, 0 }, function([w], grad(first.sum(), w, disconnected_inputs: "ignore"))(ws).ToFlatArray<double>());
    }

    [Fact]
    public void VerifyGradAcceptsAnInputTheOutputDoesNotUse() =>
        // theano.gradient.verify_grad compiles with on_unused_input='ignore' and grad(disconnected_inputs='ignore')
        verify_grad(v => v[0] * 2, [NDArray.FromArray(new[] { 1.0, 2.0 }), NDArray.FromArray(new[] { 3.0 })]);
}
