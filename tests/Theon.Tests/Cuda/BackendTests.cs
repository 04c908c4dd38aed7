using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// The same graphs on every backend, checked against values computed here by hand or by the CPU reference.
/// </summary>
public class BackendTests
{
    private static void Close(double[] expected, NDArray actual, double tolerance = 1e-6)
    {
        var values = actual.ToFlatArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Fused_elementwise_with_a_broadcast_row(string backend)
    {
        var (x, b) = (matrix("x"), vector("b"));
        var run = Backends.On(backend, function([x, b], tanh(x * 2.0 + b)));

        var result = run([new double[,] { { 0, 1 }, { -1, 0.5 } }, new double[] { 0.5, -1 }])[0];

        Close([Math.Tanh(0.5), Math.Tanh(1), Math.Tanh(-1.5), Math.Tanh(0)], result);
        Assert.Equal([2, 2], result.shape);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Sum_max_and_argmax_along_axes(string backend)
    {
        var x = matrix("x");
        var run = Backends.On(backend, function([x], [sum(x, axis: 0), max(x, axis: 1), argmax(x, axis: 1), sum(x)]));

        var r = run([new double[,] { { 1, 5, 2 }, { 7, 0, 3 } }]);

        Close([8, 5, 5], r[0]);
        Close([5, 7], r[1]);
        Assert.Equal([1L, 0L], r[2].ToFlatArray<long>());
        Close([18], r[3]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Softmax_rows_sum_to_one_and_match_the_formula(string backend)
    {
        var x = matrix("x");
        var run = Backends.On(backend, function([x], nnet.softmax(x)));

        var result = run([new double[,] { { 1, 2, 3 }, { 1000, 1000, 1000 } }])[0];

        var z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Close([Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z, 1.0 / 3, 1.0 / 3, 1.0 / 3], result);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Dot_of_matrices_and_of_a_matrix_and_a_vector(string backend)
    {
        var (a, b, v) = (matrix("a"), matrix("b"), vector("v"));
        var run = Backends.On(backend, function([a, b, v], [dot(a, b), dot(a, v)]));

        var r = run([new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, new double[,] { { 1, 0, 2 }, { 0, 1, 3 } },
            new double[] { 1, -1 }]);

        Close([1, 2, 8, 3, 4, 18, 5, 6, 28], r[0]);
        Close([-1, -1, -1], r[1]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Nll_of_softmax_and_its_gradient_through_advanced_indexing(string backend)
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var loss = mean(-log(nnet.softmax(x))[arange(y.shape[0]), y]);
        var run = Backends.On(backend, function([x, y], [loss, grad(loss, x)]));
        var input = new double[,] { { 1, 2, 3 }, { 0, 0, 0 } };

        var r = run([input, new long[] { 2, 0 }]);

        var z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Close([(-Math.Log(Math.Exp(3) / z) - Math.Log(1.0 / 3)) / 2], r[0]);
        Close([Math.Exp(1) / z / 2, Math.Exp(2) / z / 2, (Math.Exp(3) / z - 1) / 2, (1.0 / 3 - 1) / 2, 1.0 / 6,
            1.0 / 6], r[1]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Updates_apply_after_the_call_and_a_failing_call_changes_nothing(string backend)
    {
        var w = shared(NDArray.FromArray(new double[] { 1, 2 }), "w");
        var x = vector("x");
        var run = Backends.On(backend, function([x], sum(w * x), updates: [(w, w - x)]));

        Close([5], run([new double[] { 1, 2 }])[0]);
        Close([0, 0], w.get_value());
        Assert.ThrowsAny<Exception>(() => run([new double[] { 1, 2, 3 }]));
        Close([0, 0], w.get_value());
        Close([0], run([new double[] { 1, 1 }])[0]);
        Close([-1, -1], w.get_value());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void A_broadcast_mismatch_is_the_same_error_as_the_reference_backends(string backend)
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var f = function([x, y], tanh(x * y + 1.0), backend: "reference");
        object[] args = [np.ones([2, 3], "float64"), np.ones([2, 4], "float64")];
        var expected = Assert.Throws<ArgumentException>(() => CompiledFunction.Of(f).Call(args)).Message;

        var actual = Assert.Throws<ArgumentException>(() => Backends.On(backend, f)(args)).Message;

        // The node is named as each backend runs it (the CPU and CUDA fuse it into a Composite); the rest is one text.
        Assert.Equal(expected[expected.IndexOf(": ")..], actual[actual.IndexOf(": ")..]);
        Assert.Contains("input shapes do not match on axis 1: x of shape (2, 3) and y of shape (2, 4)", actual);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Fused_reductions_over_a_run_of_axes_and_over_scattered_axes(string backend)
    {
        var (m, row, t) = (matrix("m"), vector("row"), tensor3("t"));
        var f = function([m, row, t], [sum(exp(m) * row.dimshuffle('x', 0)), sum(m * row.dimshuffle('x', 0), axis: 0),
            prod(m + 1.0, axis: 1), sum(t * 2.0, axis: [0, 2])], backend: "reference");
        var state = np.random.RandomState(3);
        object[] args = [state.uniform(-1, 1, [3, 4]), state.uniform(-1, 1, [4]), state.uniform(-1, 1, [2, 3, 5])];
        var expected = CompiledFunction.Of(f).Call(args);

        var actual = Backends.On(backend, f)(args);

        for (var k = 0; k < expected.Length; k++) Close(expected[k].ToFlatArray<double>(), actual[k], 1e-12);
    }
}
