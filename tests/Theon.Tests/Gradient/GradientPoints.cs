namespace Theon.Tests.Gradient;

/// <summary>Seeded random points for gradient checks, away from the kinks and poles of the ops under test.</summary>
internal sealed class GradientPoints(int seed)
{
    private readonly RandomState random = new(seed);

    public NDArray Normal(params int[] shape) => random.standard_normal(shape);

    public NDArray Uniform(double low, double high, params int[] shape) => random.uniform(low, high, shape);

    /// <summary>Values whose magnitude is between 0.2 and 1.5, of random sign: no element near 0.</summary>
    public NDArray AwayFromZero(params int[] shape)
    {
        var magnitude = random.uniform(0.2, 1.5, shape);
        var sign = random.randint(0, 2, shape) * 2 - 1;
        return magnitude * sign;
    }

    /// <summary><paramref name="x"/> moved by 0.2 to 1 in a random direction: every element differs from x's.</summary>
    public NDArray Apart(NDArray x) => x + AwayFromZero(x.shape);
}
