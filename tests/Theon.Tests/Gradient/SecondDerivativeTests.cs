using static Theon.T;

namespace Theon.Tests.Gradient;

/// <summary>grad of grad: verify_grad of a gradient graph checks the second derivative of the op.</summary>
public class SecondDerivativeTests
{
    private static readonly GradientPoints Points = new(11);

    [Fact]
    public void PowWithConstantExponent() => verify_grad(x => grad(pow(x[0], 3).sum(), x[0]), [Points.Normal(3, 4)]);

    [Fact]
    public void PowWithRespectToBaseAndExponent() =>
        verify_grad(x => grad(pow(x[0], x[1]).sum(), x[0]) + grad(pow(x[0], x[1]).sum(), x[1]),
            [Points.Uniform(0.5, 2, 3, 4), Points.Normal(3, 4)]);

    [Fact]
    public void Exp() =>
        verify_grad(x => grad((exp(x[0]) * x[1]).sum(), x[0]), [Points.Normal(3, 4), Points.Normal(3, 4)]);

    [Fact]
    public void Tanh() => verify_grad(x => grad(tanh(x[0]).sum(), x[0]), [Points.Normal(3, 4)]);

    [Fact]
    public void Sigmoid() => verify_grad(x => grad(sigmoid(x[0]).sum(), x[0]), [Points.Normal(3, 4)]);

    [Fact]
    public void Mul() =>
        verify_grad(x => grad((x[0] * x[1] * x[0]).sum(), x[0]), [Points.Normal(3, 4), Points.Normal(3, 4)]);

    [Fact]
    public void Dot() =>
        verify_grad(x => grad(sqr(dot(x[0], x[1])).sum(), x[1]), [Points.Normal(3, 4), Points.Normal(4, 2)]);

    [Fact]
    public void SoftmaxCrossEntropy() =>
        verify_grad(
            x => grad(nnet.categorical_crossentropy(nnet.softmax(x[0]), constant(new[] { 1, 0, 3 })).sum(), x[0]),
            [Points.Normal(3, 4)]);

    [Fact]
    public void ThirdDerivativeOfCube()
    {
        var x = dscalar("x");
        var third = grad(grad(grad(pow(x, 3), x), x), x);

        Assert.Equal(6.0, (double)function([x], third)(1.7), 12);
    }
}
