using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>
/// The scan idioms of Theano's tutorial ("Looping in Theano": power, polynomial, cumulative sum) and an Elman RNN, each
/// against a plain C# loop and through verify_grad (back-propagation through time).
/// </summary>
public class ScanIdiomTests
{
    private static readonly GradientPoints Points = new(5);

    /// <summary>The tutorial's A**k: result[-1] of k steps of prior * A, starting from ones_like(A).</summary>
    private static Variable Power(Variable a, Variable k)
    {
        var (result, _) = scan((prior, v) => prior * v, outputs_info: ones_like(a), non_sequences: a, n_steps: k);
        return result[-1];
    }

    [Fact]
    public void PowerByRepeatedMultiplication()
    {
        var a = dvector("A");
        var k = iscalar("k");
        var (result, updates) = scan((prior, v) => prior * v, outputs_info: ones_like(a), non_sequences: a, n_steps: k);
        var power = function([a, k], result[-1], updates: updates);
        var values = Points.Normal(6).ToFlatArray<double>();
        var got = power(NDArray.FromArray(values), 3).ToFlatArray<double>();
        Assert.Empty(updates);
        Assert.Equal(values.Select(v => v * v * v), got, Close);
        Assert.Equal(new double[] { 0, 1, 4, 9 },
            power(NDArray.FromArray(new double[] { 0, 1, 2, 3 }), 2).ToFlatArray<double>(), Close);
    }

    [Fact]
    public void PowerRowsAreEveryStep()
    {
        var a = dvector("A");
        var (result, _) = scan((prior, v) => prior * v, outputs_info: ones_like(a), non_sequences: a, n_steps: 4);
        var rows = function([a], result)(NDArray.FromArray(new double[] { 2, 3 }));
        Assert.Equal([4, 2], rows.shape);
        Assert.Equal(new double[] { 2, 3, 4, 9, 8, 27, 16, 81 }, rows.ToFlatArray<double>(), Close);
    }

    [Fact]
    public void PowerGradient() => verify_grad(x => Power(x[0], constant(3)), [Points.Normal(5)]);

    [Fact]
    public void PowerSecondDerivative() =>
        verify_grad(x => grad(Power(x[0], constant(3)).sum(), x[0]), [Points.Normal(4)]);

    /// <summary>The tutorial's polynomial: coefficient * x ** power over the coefficients and arange(max), summed.</summary>
    private static Variable Polynomial(Variable coefficients, Variable x)
    {
        var (components, _) = scan((coefficient, power, free) => coefficient * pow(free, power),
            sequences: [coefficients, arange(constant(10000))], outputs_info: null, non_sequences: x);
        return components.sum();
    }

    [Fact]
    public void PolynomialEvaluation()
    {
        var coefficients = dvector("coefficients");
        var x = dscalar("x");
        var f = function([coefficients, x], Polynomial(coefficients, x));
        Assert.Equal(19.0, (double)f(NDArray.FromArray(new double[] { 1, 0, 2 }), 3.0), 12);
        var c = Points.Normal(7).ToFlatArray<double>();
        var expected = c.Select((ci, i) => ci * Math.Pow(1.3, i)).Sum();
        Assert.Equal(expected, (double)f(NDArray.FromArray(c), 1.3), 10);
    }

    [Fact]
    public void PolynomialGradient() =>
        verify_grad(v => Polynomial(v[0], v[1]), [Points.Normal(5), Points.Uniform(0.5, 1.5)]);

    /// <summary>The tutorial's cumulative sum of arange(up_to), then of a float vector.</summary>
    [Fact]
    public void CumulativeSum()
    {
        var upTo = iscalar("up_to");
        var (sums, _) = scan((v, acc) => acc + v, sequences: arange(upTo),
            outputs_info: constant(NDArray.Scalar(0L)));
        Assert.Equal(new long[] { 0, 1, 3, 6, 10 }, function([upTo], sums)(5).ToFlatArray<long>());

        var x = dmatrix("x");
        var (rows, _) = scan((v, acc) => acc + v, sequences: x, outputs_info: zeros_like(x[0]));
        var value = Points.Normal(5, 3);
        var got = function([x], rows)(value);
        var expected = new double[15];
        for (var t = 0; t < 5; t++)
        for (var j = 0; j < 3; j++)
            expected[t * 3 + j] = value.GetItem<double>(t, j) + (t > 0 ? expected[(t - 1) * 3 + j] : 0);
        Assert.Equal(expected, got.ToFlatArray<double>(), Close);
    }

    [Fact]
    public void CumulativeSumGradient()
    {
        static Variable Cumsum(Variable x)
        {
            var (rows, _) = scan((v, acc) => acc + v * v, sequences: x, outputs_info: zeros_like(x[0]));
            return rows;
        }
        verify_grad(v => Cumsum(v[0]), [Points.Normal(6, 2)]);
    }

    /// <summary>h_t = tanh(x_t W + h_{t-1} U + b), y_t = h_t V.</summary>
    internal static (Variable H, Variable Y) Elman(Variable x, Variable h0, Variable w, Variable u, Variable b, Variable v)
    {
        var (outputs, _) = scan((xt, hPrev) => [tanh(dot(xt, w) + dot(hPrev, u) + b), dot(tanh(dot(xt, w) + dot(hPrev, u) + b), v)],
            sequences: x, outputs_info: [h0, null]);
        return (outputs[0], outputs[1]);
    }

    internal static double[,,] ElmanLoop(NDArray x, NDArray h0, NDArray w, NDArray u, NDArray b, NDArray v)
    {
        var (steps, batch, inputs) = (x.shape[0], x.shape[1], x.shape[2]);
        var (hidden, outputs) = (u.shape[0], v.shape[1]);
        var h = new double[batch, hidden];
        for (var i = 0; i < batch; i++)
        for (var k = 0; k < hidden; k++)
            h[i, k] = h0.GetItem<double>(i, k);
        var y = new double[steps, batch, outputs];
        for (var t = 0; t < steps; t++)
        {
            var next = new double[batch, hidden];
            for (var i = 0; i < batch; i++)
            for (var k = 0; k < hidden; k++)
            {
                var s = b.GetItem<double>(k);
                for (var j = 0; j < inputs; j++) s += x.GetItem<double>(t, i, j) * w.GetItem<double>(j, k);
                for (var j = 0; j < hidden; j++) s += h[i, j] * u.GetItem<double>(j, k);
                next[i, k] = Math.Tanh(s);
            }
            h = next;
            for (var i = 0; i < batch; i++)
            for (var o = 0; o < outputs; o++)
            {
                var s = 0.0;
                for (var k = 0; k < hidden; k++) s += h[i, k] * v.GetItem<double>(k, o);
                y[t, i, o] = s;
            }
        }
        return y;
    }

    internal static NDArray[] ElmanPoint(GradientPoints p, int steps = 4, int batch = 2, int inputs = 3, int hidden = 4, int outputs = 2) =>
    [
        p.Normal(steps, batch, inputs), p.Normal(batch, hidden), p.Normal(inputs, hidden) * 0.5,
        p.Normal(hidden, hidden) * 0.5, p.Normal(hidden), p.Normal(hidden, outputs),
    ];

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void ElmanRnnAgainstLoop(string backend)
    {
        var point = ElmanPoint(Points, steps: 6);
        var inputs = new[] { dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V") };
        var (h, y) = Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
        var f = function(inputs, [h, y], backend: backend);
        var (hValue, yValue) = f([.. point.Cast<object>()]);
        var expected = ElmanLoop(point[0], point[1], point[2], point[3], point[4], point[5]);
        Assert.Equal([6, 2, 4], hValue.shape);
        Assert.Equal([6, 2, 2], yValue.shape);
        Assert.Equal(expected.Cast<double>(), yValue.ToFlatArray<double>(), Close);
    }

    [Fact]
    public void ElmanRnnGradient() =>
        verify_grad(x => Elman(x[0], x[1], x[2], x[3], x[4], x[5]).Y, ElmanPoint(Points));

    /// <summary>Zero steps: empty rows, and the gradient of the weights is zero (the backward loop does not run).</summary>
    [Fact]
    public void ElmanRnnWithZeroSteps()
    {
        var point = ElmanPoint(Points, steps: 0);
        var inputs = new[] { dtensor3("x"), dmatrix("h0"), dmatrix("W"), dmatrix("U"), dvector("b"), dmatrix("V") };
        var (h, y) = Elman(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]);
        var f = function(inputs, [h, y.sum(), .. grad(y.sum(), [inputs[1], inputs[2], inputs[3]])]);
        var results = f([.. point.Cast<object>()]);
        Assert.Equal([0, 2, 4], results[0].shape);
        Assert.Equal(0.0, (double)results[1]);
        Assert.All(results.Skip(2), g => Assert.All(g.ToFlatArray<double>(), v => Assert.Equal(0.0, v)));
    }

    private static readonly IEqualityComparer<double> Close = new Tolerance(1e-9);

    internal sealed class Tolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol * Math.Max(1, Math.Abs(a) + Math.Abs(b));

        public int GetHashCode(double obj) => 0;
    }
}
