using static Theon.T;

namespace Theon.Tests.TheanoRules;

/// <summary>
/// Theano's <c>theano.tensor.type.TensorType.filter</c> for a Python number: converted to the input's dtype and kept
/// when the value is unchanged (<c>TensorType.values_eq</c>), refused when it would change; an array (here an
/// <see cref="NDArray"/> or a C# array) is judged by its dtype instead.
/// </summary>
public class NumberArgumentTests
{
    private static Function Doubled(Variable v) => function([v], v * 2);

    private static ArgumentException Refused(Function f, object value) =>
        Assert.ThrowsAny<ArgumentException>(() => f(value));

    [Fact]
    public void AnIntegerForAFloat32InputIsAccepted()
    {
        var f = Doubled(fscalar("s"));

        Assert.Equal(0f, f(0).GetItem<float>());
        Assert.Equal(6f, f(3L).GetItem<float>());
    }

    [Fact]
    public void AnIntegralDoubleForAnIntegerInputIsAccepted()
    {
        Assert.Equal(4L, (long)Doubled(lscalar("l"))(2.0));
        Assert.Equal(-6, Doubled(bscalar("b"))(-3.0).GetItem<sbyte>());
        Assert.Equal(14, Doubled(iscalar("i"))(7L).GetItem<int>());
    }

    [Fact]
    public void AFractionForAnIntegerInputIsRefusedNamingTheInput()
    {
        var error = Refused(Doubled(lscalar("l")), 2.5);

        Assert.Contains("'l'", error.Message);
        Assert.Contains("2.5", error.Message);
        Assert.Contains("int64", error.Message);
    }

    [Fact]
    public void AnIntegerOutOfRangeIsRefused()
    {
        Assert.Contains("'i'", Refused(Doubled(iscalar("i")), 3_000_000_000L).Message);
        Assert.Contains("300", Refused(Doubled(bscalar("b")), 300).Message);
        Assert.Contains("16777217", Refused(Doubled(fscalar("s")), 16_777_217).Message);
    }

    [Fact]
    public void ADoubleThatFloat32CannotHoldIsRefused()
    {
        // with floatX float64, values_eq(0.1, float32(0.1)) is false, and 1e300 would become inf
        var f = Doubled(fscalar("s"));

        Assert.Contains("inf", Refused(f, 1e300).Message);
        Assert.Contains("0.1", Refused(f, 0.1).Message);
        Assert.Equal(1f, f(0.5).GetItem<float>());
    }

    [Fact]
    public void ArraysAreJudgedByDType()
    {
        // a numpy array of a wider dtype is refused whatever its values ("cannot store a value of dtype ...")
        Assert.Contains("float64", Refused(Doubled(lscalar("l")), NDArray.Scalar(2.0)).Message);
        Assert.Contains("int64", Refused(Doubled(ivector("v")), new long[] { 1, 2 }).Message);
        Assert.Equal(new[] { 2.0, 4.0 }, Doubled(dvector("d"))(new[] { 1, 2 }).ToFlatArray<double>());
    }
}

/// <summary>Theano's special case for a Python float and a floatX input when floatX is float32.</summary>
[Collection("GlobalConfig")]
public class NumberArgumentFloatXTests
{
    [Fact]
    public void ADoubleIsRoundedToFloatXButNotOverflowed()
    {
        // TensorType.filter: type(data) is float and self.dtype == config.floatX -> theano._asarray(data, floatX)
        var saved = config.floatX;
        config.floatX = "float32";
        try
        {
            var s = fscalar("s");
            var g = function([s], s * 1);

            Assert.Equal(0.1f, g(0.1).GetItem<float>());
            // Theano would store inf here; Theon refuses (docs/ARCHITECTURE.md, deliberate differences)
            Assert.Contains("inf", Assert.ThrowsAny<ArgumentException>(() => g(1e300)).Message);
        }
        finally
        {
            config.floatX = saved;
        }
    }
}
