using Theon.Values;

namespace Theon.Tests.Values;

public class ElementwiseTests
{
    [Fact]
    public void BinaryArithmeticOnEveryNumericDtype()
    {
        foreach (var name in new[] { "int8", "int16", "int32", "int64", "uint8", "float32", "float64" })
        {
            var a = ((NDArray)new[] { 1, 2, 3, 4 }).astype(name).reshape(2, 2);
            var b = ((NDArray)new[] { 2, 1 }).astype(name);
            Assert.Equal(name, ArrayMath.Add(a, b).dtype);
            Assert.Equal(new[] { 3, 3, 5, 5 }, ArrayMath.Add(a, b).ToFlatArray<int>());
            Assert.Equal(new[] { -1, 1, 1, 3 }, ArrayMath.Subtract(a, b).ToFlatArray<int>().Select(v =>
                name == "uint8" ? (sbyte)v : v));
            Assert.Equal(new[] { 2, 2, 6, 4 }, ArrayMath.Multiply(a, b).ToFlatArray<int>());
            Assert.Equal(new[] { 2, 2, 3, 4 }, ArrayMath.Maximum(a, b).ToFlatArray<int>());
            Assert.Equal(new[] { 1, 1, 2, 1 }, ArrayMath.Minimum(a, b).ToFlatArray<int>());
            Assert.Equal(new[] { 1, 2, 9, 4 }, ArrayMath.Power(a, b).ToFlatArray<int>());
            Assert.Equal(new[] { true, false, false, false }, ArrayMath.Less(a, b).ToFlatArray<bool>());
            Assert.Equal(new[] { false, true, true, true }, ArrayMath.GreaterEqual(a, b).ToFlatArray<bool>());
            Assert.Equal(new[] { false, false, false, false }, ArrayMath.Equal(a, b).ToFlatArray<bool>());
        }
    }

    [Fact]
    public void TrueDivisionOfIntegersUsesToFloat()
    {
        NDArray i32 = new[] { 1, 2, 3 };
        var q = ArrayMath.TrueDivide(i32, (NDArray)new[] { 2, 2, 2 });
        Assert.Equal("float64", q.dtype);
        Assert.Equal(new[] { 0.5, 1, 1.5 }, q.ToFlatArray<double>());
        var small = ArrayMath.TrueDivide(i32.astype("int8"), i32.astype("int8"));
        Assert.Equal("float32", small.dtype);
        Assert.Equal("float64", (i32 / 2).dtype);
        Assert.Equal(double.PositiveInfinity, (double)(np.array(1.0) / 0.0));
    }

    [Fact]
    public void MixedDtypesPromote()
    {
        var f32 = np.ones(2).astype("float32");
        var i32 = np.ones(2).astype("int32");
        var i8 = np.ones(2).astype("int8");
        var u8 = np.ones(2).astype("uint8");
        Assert.Equal("float64", ArrayMath.Add(f32, i32).dtype);
        Assert.Equal("float32", ArrayMath.Add(f32, i8).dtype);
        Assert.Equal("int16", ArrayMath.Multiply(u8, i8).dtype);
        Assert.Equal("bool", ArrayMath.NotEqual(f32, i32).dtype);
    }

    [Fact]
    public void CSharpNumbersDoNotWidenArrays()
    {
        var f32 = np.ones(2).astype("float32");
        Assert.Equal("float32", (f32 * 0.5).dtype);
        Assert.Equal("float32", (2 - f32).dtype);
        var ints = np.arange(3);
        Assert.Equal("int64", (ints * 2).dtype);
        Assert.Equal("float64", (ints * 2.0 - 1.0).dtype);
        Assert.Equal(new[] { -1.0, 1, 3 }, (ints * 2.0 - 1.0).ToFlatArray<double>());
        var i8 = np.arange(3).astype("int8");
        Assert.Equal("int8", (i8 + 1).dtype);
        Assert.Equal("float64", (i8 + 1.5).dtype);
        Assert.Equal(new[] { 1.0, 0, 1 }, (np.array(1.0) - np.arange(3.0) % 2 * 1.0).ToFlatArray<double>());
    }

    [Fact]
    public void BoolArithmeticFollowsNumpy()
    {
        NDArray a = new[] { true, true, false, false };
        NDArray b = new[] { true, false, true, false };
        Assert.Equal(new[] { true, true, true, false }, ArrayMath.Add(a, b).ToFlatArray<bool>());
        Assert.Equal(new[] { true, false, false, false }, ArrayMath.Multiply(a, b).ToFlatArray<bool>());
        Assert.Equal("bool", ArrayMath.Maximum(a, b).dtype);
        Assert.Throws<ArgumentException>(() => ArrayMath.Subtract(a, b));
        Assert.Throws<ArgumentException>(() => ArrayMath.Negative(a));
        Assert.Equal("int64", (a + 1).dtype);
    }

    [Fact]
    public void RemainderHasTheSignOfTheDivisor()
    {
        NDArray x = new[] { 7, -7, 7, -7 };
        NDArray y = new[] { 3, 3, -3, -3 };
        Assert.Equal(new[] { 1, 2, -2, -1 }, (x % y).ToFlatArray<int>());
        Assert.Equal(new[] { 1.5, 1.5 }, (np.array(new[] { 5.5, -0.5 }) % 2.0).ToFlatArray<double>());
    }

    [Fact]
    public void IntegerPowerIsExactAndRefusesNegativeExponents()
    {
        NDArray big = new[] { 3L };
        Assert.Equal(3486784401L, ArrayMath.Power(big, np.array(20L)).GetItem<long>(0));
        Assert.Throws<ArgumentException>(() => ArrayMath.Power(big, np.array(-1L)));
        Assert.Equal(0.125, (double)ArrayMath.Power(np.array(2.0), np.array(-3.0)));
    }

    [Fact]
    public void UnaryFloatFunctionsMatchNumpy()
    {
        var u = Fixtures.Values.GetProperty("unary");
        NDArray x = Fixtures.Doubles(u.GetProperty("x"));
        NDArray pos = Fixtures.Doubles(u.GetProperty("pos"));
        Close(u.GetProperty("exp"), ArrayMath.Exp(x));
        Close(u.GetProperty("tanh"), ArrayMath.Tanh(x));
        Close(u.GetProperty("sigmoid"), ArrayMath.Sigmoid(x));
        Close(u.GetProperty("softplus"), ArrayMath.Softplus(x));
        Close(u.GetProperty("log"), ArrayMath.Log(pos));
        Close(u.GetProperty("sqrt"), ArrayMath.Sqrt(pos));
        Close(u.GetProperty("log1p_small"), ArrayMath.Log1p(new[] { 1e-10, -1e-12, 1e-5 }));
        Assert.Equal(1.0, (double)ArrayMath.Sigmoid(1000.0));
        Assert.Equal(0.0, (double)ArrayMath.Sigmoid(-1000.0));
        Assert.Equal(1000.0, (double)ArrayMath.Softplus(1000.0));
    }

    private static void Close(System.Text.Json.JsonElement expected, NDArray actual)
    {
        var e = Fixtures.Doubles(expected);
        var a = actual.ToFlatArray<double>();
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-14 * Math.Abs(e[i]) + 1e-300, $"[{i}] {a[i]} != {e[i]}");
    }

    [Fact]
    public void VectorizedSigmoidAgreesWithTheStableScalarFormula()
    {
        var x = np.arange(-60.0, 60.0, 0.0173);
        var exact = x.ToFlatArray<double>().Select(v =>
            v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v)));
        var fast = ArrayMath.Sigmoid(x).ToFlatArray<double>();
        foreach (var (e, f) in exact.Zip(fast))
            Assert.True(Math.Abs(e - f) <= 2e-15 * e, $"{f} != {e}");
        var x32 = x.astype("float32");
        var exact32 = x32.ToFlatArray<double>().Select(v =>
            v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v)));
        var single = ArrayMath.Sigmoid(x32).ToFlatArray<float>();
        foreach (var (e, f) in exact32.Zip(single))
            Assert.True(Math.Abs(e - f) <= 1e-6 * e + 1e-30, $"{f} != {e}");
    }

    [Fact]
    public void VectorizedTanhAgreesWithMathTanh()
    {
        NDArray x = np.arange(-25.0, 25.0, 0.0137).ToFlatArray<double>()
            .Concat([1e-300, -1e-10, 0.0, 0.5499999, 0.55, double.PositiveInfinity, double.NegativeInfinity]).ToArray();
        var fast = ArrayMath.Tanh(x).ToFlatArray<double>();
        foreach (var (v, f) in x.ToFlatArray<double>().Zip(fast))
            Assert.True(Math.Abs(Math.Tanh(v) - f) <= 1e-15 * Math.Abs(Math.Tanh(v)), $"tanh({v}) = {f}");
        Assert.True(double.IsNaN((double)ArrayMath.Tanh(double.NaN)));
        var x32 = x.astype("float32");
        var single = ArrayMath.Tanh(x32).ToFlatArray<float>();
        foreach (var (v, f) in x32.ToFlatArray<float>().Zip(single))
            Assert.True(Math.Abs(MathF.Tanh(v) - f) <= 4e-7 * Math.Abs(MathF.Tanh(v)), $"tanh({v}) = {f}");
    }

    [Fact]
    public void UnaryDtypes()
    {
        NDArray i8 = new sbyte[] { -3, 4 }.Select(v => (int)v).ToArray();
        var small = i8.astype("int8");
        Assert.Equal("float32", ArrayMath.Exp(small).dtype);
        Assert.Equal("float64", ArrayMath.Exp(np.arange(2)).dtype);
        Assert.Equal("float32", ArrayMath.Tanh(np.ones(2).astype("float32")).dtype);
        Assert.Equal("int8", ArrayMath.Abs(small).dtype);
        Assert.Equal(new[] { 3, 4 }, ArrayMath.Abs(small).ToFlatArray<int>());
        Assert.Equal(new[] { 9, 16 }, ArrayMath.Square(small).ToFlatArray<int>());
        Assert.Equal(new[] { 3, -4 }, ArrayMath.Negative(small).ToFlatArray<int>());
        Assert.Equal("float32", ArrayMath.Sqrt(np.arange(3).astype("uint8")).dtype);
    }

    [Fact]
    public void WhereAndClipBroadcast()
    {
        NDArray cond = new[,] { { 1 }, { 0 } };
        var w = ArrayMath.Where(cond, np.arange(3.0), -1);
        Assert.Equal(new[] { 2, 3 }, w.shape);
        Assert.Equal(new[] { 0.0, 1, 2, -1, -1, -1 }, w.ToFlatArray<double>());
        Assert.Equal("int64", ArrayMath.Where(np.array(true), np.arange(2), np.arange(2).astype("int8")).dtype);
        var c = ArrayMath.Clip(np.arange(6.0).reshape(2, 3), 1.0, new[] { 2.0, 3.0, 4.0 });
        Assert.Equal(new[] { 1.0, 1, 2, 2, 3, 4 }, c.ToFlatArray<double>());
        Assert.Equal("int8", ArrayMath.Cast(np.arange(3), DType.Int8).dtype);
    }

    [Fact]
    public void StridedAndBroadcastOperandsTakeTheSlowPathCorrectly()
    {
        var a = np.arange(24.0).reshape(2, 3, 4);
        var t = a.transpose(2, 0, 1);
        var s = ArrayMath.Add(t, t.Slice(2, null, null, -1));
        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 2; j++)
        for (var k = 0; k < 3; k++)
            Assert.Equal(a.GetItem<double>(j, k, i) + a.GetItem<double>(j, 2 - k, i), s.GetItem<double>(i, j, k));
        var col = np.arange(3.0).reshape(3, 1);
        var row = np.arange(4.0);
        var outer = ArrayMath.Multiply(col, row);
        Assert.Equal(6.0, outer.GetItem<double>(2, 3));
        Assert.Equal(new[] { 3, 4 }, outer.shape);
        var zeroSize = ArrayMath.Add(np.zeros(0, 3), np.ones(3));
        Assert.Equal(new[] { 0, 3 }, zeroSize.shape);
    }
}
