using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// erf, erfc, erfinv, gamma, gammaln, psi, isclose and allclose against Python's math module, closed forms of
/// digamma and numpy (tests/fixtures/make_api_fixtures.py).
/// </summary>
public class SpecialFunctionTests : FixtureCaseTests<SpecialFunctionTests>, IFixtureCases
{
    public static IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; } = new Dictionary<string, Func<Variable[], Variable>>
    {
        ["erf"] = x => erf(x[0]),
        ["erfc"] = x => erfc(x[0]),
        ["erfc_float32"] = x => erfc(x[0]),
        ["erfinv"] = x => erfinv(x[0]),
        ["gamma"] = x => gamma(x[0]),
        ["gammaln"] = x => gammaln(x[0]),
        ["gamma_int32"] = x => gamma(x[0]),
        ["psi"] = x => psi(x[0]),
        ["isclose"] = x => isclose(x[0], x[1]),
        ["isclose_tolerances"] = x => isclose(x[0], x[1], rtol: 1e-3, atol: 0.2),
        ["allclose_false"] = x => allclose(x[0], x[1]),
        ["allclose_true"] = x => allclose(x[0], x[1], rtol: 0.2),
        ["isclose_int"] = x => isclose(x[0], x[1]),
    };

    [Fact]
    public void CpuLoopsMatchTheReferenceOnAWideRange()
    {
        var x = dvector("x");
        var values = Enumerable.Range(-60, 121).Select(i => i / 7.0 + 0.013).ToArray();
        var expression = add(erf(x), erfc(x) * 2, gammaln(abs(x) + 0.1), psi(abs(x) + 0.2), erfinv(x / 10), gamma(abs(x) / 3 + 0.05));

        var cpu = function([x], expression)(values);
        var reference = function([x], expression, backend: "reference")(values);

        // the same kernels; the fused loop may add the terms in another order (a few ulps)
        ApiFixtures.AssertMatches("special functions", reference, cpu);
    }

    public static string[] OnDevice => ["erf", "erfc", "erfinv", "gamma", "gammaln", "psi", "isclose"];

    [Fact]
    public void Gradients()
    {
        var p = new GradientPoints(61);
        verify_grad(v => erf(v[0]), [p.Normal(3, 4)]);
        verify_grad(v => erfc(v[0]), [p.Normal(3, 4)]);
        verify_grad(v => erfinv(v[0]), [p.Uniform(-0.9, 0.9, 3, 4)]);
        verify_grad(v => gamma(v[0]), [p.Uniform(0.3, 4, 3, 4)]);
        verify_grad(v => gammaln(v[0]), [p.Uniform(0.3, 9, 3, 4)]);
        verify_grad(v => grad(erf(v[0]).sum(), v[0]), [p.Normal(5)]);
    }

    [Fact]
    public void TypesFollowTheano()
    {
        foreach (var f in new Func<Variable, Variable>[] { erf, erfc, erfinv, gamma, gammaln, psi })
        {
            Assert.Equal("float32", f(bvector("b")).type.dtype.Name);
            Assert.Equal("float64", f(ivector("i")).type.dtype.Name);
            Assert.Equal("float32", f(fvector("f")).type.dtype.Name);
        }
        Assert.Equal("Elemwise{erfinv,no_inplace}", erfinv(dvector("x")).owner!.op.Name);
        Assert.Equal("gammaln(x)", pp(gammaln(dvector("x"))));
        Assert.Equal("bool", isclose(dvector("a"), ivector("b")).type.dtype.Name);
        Assert.Equal(0, allclose(dmatrix("a"), dmatrix("b")).ndim);
    }

    [Fact]
    public void IsCloseTreatsNaNAsNumpyDoes()
    {
        var a = constant(NDArray.FromArray(new[] { double.NaN, 1.0 }));
        var b = constant(NDArray.FromArray(new[] { double.NaN, double.NaN }));

        Assert.Equal(new[] { false, false }, function([], isclose(a, b))().ToFlatArray<bool>());
        Assert.Equal(new[] { true, false }, function([], isclose(a, b, equal_nan: true))().ToFlatArray<bool>());
    }

    [Fact]
    public void PsiIsTheDerivativeOfGammaln()
    {
        var x = dvector("x");
        var f = function([x], [psi(x), gammaln(x)]);
        double[] at = [0.37, 1.9, 4.2, 13.7];
        const double h = 1e-5;

        var (psiValues, _) = f(at);
        var (_, plus) = f(at.Select(v => v + h).ToArray());
        var (_, minus) = f(at.Select(v => v - h).ToArray());

        var slope = plus.ToFlatArray<double>().Zip(minus.ToFlatArray<double>(), (p, m) => (p - m) / (2 * h)).ToArray();
        Assert.All(psiValues.ToFlatArray<double>().Zip(slope), pair => Assert.Equal(pair.Second, pair.First, 8));
    }

    [Fact]
    public void PsiHasNoGradientAsInTheano()
    {
        var x = dvector("x");
        Assert.Throws<NotSupportedException>(() => grad(psi(x).sum(), x));
    }
}
