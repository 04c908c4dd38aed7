using Theon.Ops;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// jacobian, hessian, Lop, Rop, zero_grad, disconnected_grad and grad's consider_constant and known_grads, with the
/// examples of Theano's documentation (tutorial "Derivatives in Theano") and against central differences.
/// </summary>
public class GradientHelperTests
{
    [Fact]
    public void JacobianOfTheSquaresIsTheDocumentedDiagonal()
    {
        var x = dvector("x");
        var f = function([x], jacobian(x * x, x));

        Assert.Equal(new[] { 8.0, 0, 0, 8 }, f(new[] { 4.0, 4.0 }).ToFlatArray<double>());
    }

    [Fact]
    public void HessianOfTheSumOfSquaresIsTheDocumentedOne()
    {
        var x = dvector("x");
        var f = function([x], hessian((x * x).sum(), x));

        Assert.Equal(new[] { 2.0, 0, 0, 2 }, f(new[] { 4.0, 4.0 }).ToFlatArray<double>());
    }

    [Fact]
    public void LopAndRopGiveTheDocumentedProducts()
    {
        var (W, V, v, x) = (dmatrix("W"), dmatrix("V"), dvector("v"), dvector("x"));
        var y = dot(x, W);

        // y is linear in W, so neither product reads W
        var rop = function([W, V, x], Rop(y, W, V), on_unused_input: "ignore");
        var lop = function([W, v, x], Lop(y, W, v), on_unused_input: "ignore");

        Assert.Equal(new[] { 2.0, 2.0 }, rop(new[,] { { 1.0, 1 }, { 1, 1 } }, new[,] { { 2.0, 2 }, { 2, 2 } }, new[] { 0.0, 1 }).ToFlatArray<double>());
        Assert.Equal(new[] { 0.0, 0, 2, 2 }, lop(new[,] { { 1.0, 1 }, { 1, 1 } }, new[] { 2.0, 2 }, new[] { 0.0, 1 }).ToFlatArray<double>());
    }

    private static double[,] NumericJacobian(Function f, double[] at, int outputs)
    {
        const double eps = 1e-6;
        var jacobian = new double[outputs, at.Length];
        for (var j = 0; j < at.Length; j++)
        {
            var (plus, minus) = ((double[])at.Clone(), (double[])at.Clone());
            plus[j] += eps;
            minus[j] -= eps;
            var (fp, fm) = (f(plus).ToFlatArray<double>(), f(minus).ToFlatArray<double>());
            for (var i = 0; i < outputs; i++) jacobian[i, j] = (fp[i] - fm[i]) / (2 * eps);
        }
        return jacobian;
    }

    private static void AssertClose(double[,] expected, NDArray actual, double tolerance = 1e-6)
    {
        Assert.Equal([expected.GetLength(0), expected.GetLength(1)], actual.shape);
        var values = actual.ToFlatArray<double>();
        for (var i = 0; i < expected.GetLength(0); i++)
            for (var j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(values[i * expected.GetLength(1) + j] - expected[i, j]) < tolerance,
                    $"[{i}, {j}]: {values[i * expected.GetLength(1) + j]} vs central differences {expected[i, j]}");
    }

    [Fact]
    public void JacobianMatchesCentralDifferences()
    {
        var x = dvector("x");
        var w = constant(new GradientPoints(5).Normal(3, 4));
        var y = tanh(dot(w, x)) * sum(x);
        var at = new GradientPoints(6).Normal(4).ToFlatArray<double>();

        var analytic = function([x], jacobian(y, x))(at);

        AssertClose(NumericJacobian(function([x], y), at, 3), analytic);
    }

    [Fact]
    public void JacobianWithRespectToAMatrixHasItsShapeAfterTheRows()
    {
        var (W, x) = (dmatrix("W"), dvector("x"));
        var f = function([W, x], jacobian(dot(W, x), W));

        var value = f(np.ones(2, 3), new[] { 1.0, 2, 3 });

        Assert.Equal([2, 2, 3], value.shape);
        // d(Wx)_i / dW_jk = [i == j] x_k
        Assert.Equal(new[] { 1.0, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3 }, value.ToFlatArray<double>());
    }

    [Fact]
    public void HessianMatchesCentralDifferencesOfTheGradient()
    {
        var x = dvector("x");
        var cost = (exp(x) * sum(sqr(x))).sum();
        var at = new GradientPoints(7).Normal(3).ToFlatArray<double>();

        var analytic = function([x], hessian(cost, x))(at);

        AssertClose(NumericJacobian(function([x], grad(cost, x)), at, 3), analytic);
    }

    [Fact]
    public void RopIsTheJacobianTimesTheVectorAndLopTheVectorTimesIt()
    {
        var (x, v, u) = (dvector("x"), dvector("v"), dvector("u"));
        var w = constant(new GradientPoints(8).Normal(3, 4));
        var y = sin(dot(w, x)) * x[0];
        var p = new GradientPoints(9);
        var (at, dv, du) = (p.Normal(4), p.Normal(4), p.Normal(3));

        var f = function([x, v, u], [Rop(y, x, v), dot(jacobian(y, x), v), Lop(y, x, u), dot(u, jacobian(y, x))]);
        var (rop, jv, lop, uj) = f(at, dv, du);

        AssertClose(Rows(jv), rop.reshape(1, 3), 1e-12);
        AssertClose(Rows(uj), lop.reshape(1, 4), 1e-12);
    }

    private static double[,] Rows(NDArray vector)
    {
        var values = vector.ToFlatArray<double>();
        var result = new double[1, values.Length];
        for (var i = 0; i < values.Length; i++) result[0, i] = values[i];
        return result;
    }

    [Fact]
    public void RopOfTheGradientIsTheHessianVectorProduct()
    {
        var (x, v) = (dvector("x"), dvector("v"));
        var cost = (sqr(x) * cos(x)).sum() * sum(x);
        var p = new GradientPoints(10);

        var (hv, hessianTimes) = function([x, v], [Rop(grad(cost, x), x, v), dot(hessian(cost, x), v)])(p.Normal(3), p.Normal(3));

        AssertClose(Rows(hessianTimes), hv.reshape(1, 3), 1e-12);
    }

    [Fact]
    public void ZeroGradKeepsTheValueAndStopsTheGradient()
    {
        var x = dvector("x");
        var f = function([x], [x * zero_grad(x), grad((x * zero_grad(x)).sum(), x)]);

        var (value, gradient) = f(new[] { 3.0, -2.0 });

        Assert.Equal(new[] { 9.0, 4.0 }, value.ToFlatArray<double>());
        Assert.Equal(new[] { 3.0, -2.0 }, gradient.ToFlatArray<double>());
        Assert.Equal(new[] { 0.0, 0.0 }, function([x], grad(zero_grad(x).sum(), x))(new[] { 1.0, 2.0 }).ToFlatArray<double>());
        Assert.DoesNotContain("ZeroGrad", pp(f));
        Assert.Equal("ZeroGrad", zero_grad(x).owner!.op.Name);
    }

    [Fact]
    public void DisconnectedGradDisconnects()
    {
        var x = dvector("x");

        Assert.Throws<DisconnectedInputError>(() => grad(disconnected_grad(x).sum(), x));
        var g = function([x], grad((x * disconnected_grad(x)).sum(), x));
        Assert.Equal(new[] { 3.0, -2.0 }, g(new[] { 3.0, -2.0 }).ToFlatArray<double>());
        Assert.Equal("DisconnectedGrad", disconnected_grad(x).owner!.op.Name);
    }

    [Fact]
    public void ConsiderConstantStopsAtTheGivenVariables()
    {
        var x = dvector("x");
        var y = x * x;
        var g = function([x], grad((y * x).sum(), x, consider_constant: [y]));

        // d/dx (y x) with y held constant is y
        Assert.Equal(new[] { 4.0, 9.0 }, g(new[] { 2.0, 3.0 }).ToFlatArray<double>());
        Assert.Throws<DisconnectedInputError>(() => grad(y.sum(), x, consider_constant: [y]));
    }

    [Fact]
    public void KnownGradsSeedTheBackwardPass()
    {
        var (x, gy) = (dvector("x"), dvector("gy"));
        var y = exp(x);

        var onlyKnown = function([x, gy], grad(null, x, known_grads: new Dictionary<Variable, Variable> { [y] = gy }));
        var withCost = function([x, gy], grad(x.sum(), x, known_grads: new Dictionary<Variable, Variable> { [y] = gy }));

        Assert.Equal(new[] { 2.0, 3 * Math.E }, onlyKnown(new[] { 0.0, 1.0 }, new[] { 2.0, 3.0 }).ToFlatArray<double>());
        Assert.Equal(new[] { 3.0, 3 * Math.E + 1 }, withCost(new[] { 0.0, 1.0 }, new[] { 2.0, 3.0 }).ToFlatArray<double>());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var (x, m) = (dvector("x"), dmatrix("m"));

        Assert.Contains("eval_points[0]", Assert.Throws<ArgumentException>(() => Lop(x * 2, x, m)).Message);
        Assert.Contains("eval_points[0]", Assert.Throws<ArgumentException>(() => Rop(x * 2, x, m)).Message);
        Assert.Contains("known_grads", Assert.Throws<ArgumentException>(() =>
            grad(null, x, known_grads: new Dictionary<Variable, Variable> { [x * 2] = m })).Message);
        Assert.Contains("cost or known_grads", Assert.Throws<ArgumentException>(() => grad(null, x)).Message);
        Assert.Contains("vector", Assert.Throws<ArgumentException>(() => hessian(m.sum(), m)).Message);
        Assert.Contains("flatten", Assert.Throws<ArgumentException>(() => jacobian(m * 2, m)).Message);
        Assert.Throws<NotSupportedException>(() => grad(jacobian(x * x, x).sum(), x));
    }

    [Fact]
    public void JacobianRunsOnTheReferenceBackendToo()
    {
        var x = dvector("x");
        var f = function([x], jacobian(x * x, x), backend: "reference");

        Assert.Equal(new[] { 2.0, 0, 0, -4 }, f(new[] { 1.0, -2.0 }).ToFlatArray<double>());
        Assert.IsType<JacobianRows>(jacobian(x * x, x).owner!.op);
    }

    [Fact]
    public void JacobianReadsSharedVariablesAtEachCall()
    {
        var w = shared(np.eye(2), "w");
        var x = dvector("x");
        var f = function([x], jacobian(dot(w, x) * 2, x));

        Assert.Equal(new[] { 2.0, 0, 0, 2 }, f(new[] { 1.0, 1.0 }).ToFlatArray<double>());
        w.set_value(np.ones(2, 2));
        Assert.Equal(new[] { 2.0, 2, 2, 2 }, f(new[] { 1.0, 1.0 }).ToFlatArray<double>());
        // d(2 Σₖ w[i, k]) / dw[j, k] = 2 [i == j], summed over k
        Assert.Equal(new[] { 4.0, 0, 0, 4 }, function([], jacobian(dot(w, constant(np.ones(2))) * 2, w).sum(axis: 2))().ToFlatArray<double>());
    }
}
