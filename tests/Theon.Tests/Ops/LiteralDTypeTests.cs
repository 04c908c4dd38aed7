using static Theon.T;

namespace Theon.Tests.Ops;

/// <summary>A C# double literal adopts the float dtype of the tensors it meets, as Python scalars do in NumPy 2 and JAX.</summary>
public class LiteralDTypeTests
{
    [Fact]
    public void Float32TensorTimesDoubleLiteralStaysFloat32()
    {
        var x = fvector("x");
        Assert.Equal("float32", (x * 0.5).dtype);
        Assert.Equal("float32", (1 - x * 0.01).dtype);
        Assert.Equal("float32", maximum(x, 0.0).dtype);
        var f = function([x], x * 0.1);
        var y = f(new float[] { 1, 2 });
        Assert.Equal("float32", y.dtype);
        Assert.Equal(0.2f, y.GetItem<float>(1));
    }

    [Fact]
    public void Float64TensorsAndIntegersKeepTheirRules()
    {
        Assert.Equal("float64", (dvector("x") * 0.5).dtype);
        Assert.Equal("float64", (ivector("i") * 0.5).dtype);
        Assert.Equal("float64", (fvector("x") * dvector("y") * 0.5).dtype);
        Assert.Equal("float32", (fvector("x") * 2).dtype);
    }

    [Fact]
    public void ExplicitConstantsAreNotLiterals() =>
        Assert.Equal("float64", (fvector("x") * constant(0.5)).dtype);
}
