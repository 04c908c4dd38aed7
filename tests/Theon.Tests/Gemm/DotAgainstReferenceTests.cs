using CsCheck;
using Theon.Compile;
using static Theon.T;

namespace Theon.Tests.Gemm;

/// <summary>
/// The CPU backend's products (<c>Dot</c>, <c>Dot22</c> and <c>Gemm</c> nodes, run by the packed GEMM and GEMV)
/// against the reference backend, whose dot is the plain float64-accumulating loop of <c>Values.ArrayMath.Dot</c> and
/// shares no code with them. Each function is called once, so no unrolled program stands in for the GEMM call.
/// Tolerance: <see cref="GemmCase.AssertMatchesReference{T}"/>'s 2(k + 2)·u·(|alpha|·Σ|a||b| + |c|).
/// </summary>
public class DotAgainstReferenceTests
{
    public enum Layout { Plain, TransposedA, TransposedB, Update, MatrixVector, VectorMatrix }

    private const double Alpha = -0.5;

    private static readonly Gen<(int M, int K, int N, Layout Layout, bool Single, int Seed)> Cases =
        Gen.Select(Gen.Int[1, 150], Gen.Int[1, 150], Gen.Int[1, 150], Gen.Enum<Layout>(), Gen.Bool,
            Gen.Int[0, int.MaxValue]);

    [Fact]
    public void RandomProductsMatchTheReferenceDot() =>
        Cases.Sample(c => Compare(c.M, c.K, c.N, c.Layout, c.Single ? "float32" : "float64", c.Seed), iter: 120);

    [Theory]
    [InlineData(300, 257, 190, Layout.Plain, "float64")]
    [InlineData(97, 611, 300, Layout.TransposedA, "float32")]
    [InlineData(611, 97, 300, Layout.TransposedB, "float64")]
    [InlineData(256, 784, 50, Layout.Update, "float32")]
    [InlineData(700, 400, 1, Layout.MatrixVector, "float64")]
    [InlineData(1, 400, 700, Layout.VectorMatrix, "float32")]
    public void LargeProductsMatchTheReferenceDot(int m, int k, int n, Layout layout, string dtype) =>
        Compare(m, k, n, layout, dtype, seed: m + k + n);

    private static void Compare(int m, int k, int n, Layout layout, string dtype, int seed)
    {
        var state = np.random.RandomState(seed);
        NDArray Uniform(params int[] shape) => state.uniform(-1, 1, shape).astype(dtype);
        var (x, y, c) = (tensor(dtype, [false, false], "x"), tensor(dtype, [false, false], "y"),
            tensor(dtype, [false, false], "c"));
        var (u, v) = (tensor(dtype, [false], "u"), tensor(dtype, [false], "v"));
        (Variable[] Inputs, Func<double, Variable> Product, NDArray[] Args) test = layout switch
        {
            Layout.Plain => ([x, y], _ => dot(x, y), [Uniform(m, k), Uniform(k, n)]),
            Layout.TransposedA => ([x, y], _ => dot(x.T, y), [Uniform(k, m), Uniform(k, n)]),
            Layout.TransposedB => ([x, y], _ => dot(x, y.T), [Uniform(m, k), Uniform(n, k)]),
            Layout.Update =>
                ([c, x, y], alpha => c + alpha * dot(x.T, y), [Uniform(m, n), Uniform(k, m), Uniform(k, n)]),
            Layout.MatrixVector => ([x, v], _ => dot(x, v), [Uniform(m, k), Uniform(k)]),
            _ => ([u, y], _ => dot(u, y), [Uniform(k), Uniform(k, n)]),
        };
        var cpu = function(test.Inputs, test.Product(Alpha), backend: "cpu");
        Assert.Contains(CompiledFunction.Of(cpu).Schedule,
            node => node.op is Theon.Ops.Dot or Theon.Ops.Dot22 or Theon.Ops.Gemm);
        var actual = cpu(test.Args).ToFlatArray<double>();
        var reference = function(test.Inputs, test.Product(Alpha), backend: "reference");
        var expected = reference(test.Args).ToFlatArray<double>();
        // |alpha|·Σ|a||b| + |c|: the same product of the absolute values
        var magnitude = function(test.Inputs, test.Product(Math.Abs(Alpha)), backend: "reference")(
            [.. test.Args.Select(np.abs)]).ToFlatArray<double>();
        var roundoff = dtype == "float32" ? GemmCase.UnitRoundoff<float>() : GemmCase.UnitRoundoff<double>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 2 * (k + 2) * roundoff * magnitude[i] + double.Epsilon;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{layout} {dtype} ({m}, {k}, {n}): element {i} is {actual[i]}, the reference {expected[i]} ± " +
                $"{tolerance}.");
        }
    }
}
