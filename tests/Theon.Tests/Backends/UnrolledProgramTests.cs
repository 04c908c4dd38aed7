using Theon.Backends.Cpu;
using static Theon.T;

namespace Theon.Tests.CpuBackend;

/// <summary>
/// A small graph called twice with the same input shapes is compiled into one straight-line method
/// (<see cref="Theon.Backends.Cpu.Unrolled.UnrolledProgram"/>). It must compute what the reference computes, for every
/// op it unrolls, keep the function's guarantees (NaN refused, a failed call changes nothing, 0 bytes per call), and
/// hand back to the kernels for other shapes and strided inputs. Tolerances as in <see cref="DifferentialTests"/>.
/// </summary>
public class UnrolledProgramTests
{
    private static CpuExecutable Executable(Delegate f) => (CpuExecutable)CompiledFunction.Of(f).Executable;

    private static bool IsUnrolled(Delegate f) => Executable(f).Unrolled is not null;

    private static void AssertClose(NDArray expected, NDArray actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (x, y) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        for (var i = 0; i < x.Length; i++)
        {
            if (Math.Abs(x[i] - y[i]) > rtol * Math.Abs(x[i]) + atol || double.IsNaN(x[i]) != double.IsNaN(y[i]))
                Assert.Fail($"{what}, element {i}: reference {x[i]}, unrolled {y[i]}");
        }
    }

    [Fact]
    public void TheXnorStepIsUnrolledAndTrainsAsTheReferenceDoes()
    {
        var (cpu, reference) = (new Xnor("cpu"), new Xnor("reference"));
        object[] args = [Xnor.Inputs, Xnor.Targets];
        for (var step = 0; step < 300; step++)
        {
            var (expected, actual) = (reference.Train(args), cpu.Train(args));
            AssertClose(expected[0], actual[0], 1e-12, 1e-15, $"a3 at step {step}");
            AssertClose(expected[1], actual[1], 1e-12, 1e-15, $"cost at step {step}");
        }
        Assert.True(IsUnrolled(cpu.Train));
        AssertClose(NDArray.FromArray(reference.Parameters()), NDArray.FromArray(cpu.Parameters()), 1e-12, 1e-15,
            "parameters after 300 steps");
    }

    [Fact]
    public void AnUnrolledXnorStepAllocatesNothing()
    {
        var xnor = new Xnor("cpu", borrow: true);
        object[] args = [Xnor.Inputs, Xnor.Targets];
        for (var i = 0; i < 5; i++) xnor.Train(args);
        Assert.True(IsUnrolled(xnor.Train));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) xnor.Train(args);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheFirstCallRunsTheKernelsAndTheSecondBuildsTheProgram()
    {
        var xnor = new Xnor("cpu");
        xnor.Train(Xnor.Inputs, Xnor.Targets);
        Assert.False(IsUnrolled(xnor.Train));
        xnor.Train(Xnor.Inputs, Xnor.Targets);
        Assert.True(IsUnrolled(xnor.Train));
    }

    public static TheoryData<string> FloatTypes => ["float32", "float64"];

    /// <summary>Every op with an unrolled form, on random inputs, called several times against the reference.</summary>
    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void EveryUnrolledOpMatchesTheReference(string dtype)
    {
        var (m, n, v, s) = (tensor(dtype, [false, false], "m"), tensor(dtype, [false, false], "n"),
            tensor(dtype, [false], "v"), tensor(dtype, [], "s"));
        Variable[] outputs =
        [
            sigmoid(m * v + s) - tanh(n),                           // elementwise, broadcasting, fused
            exp(m).sum(axis: 1) + max(n, axis: 0).sum(),              // fused reduction, reduction
            prod(m / 4 + 1, axis: 0) + min(n, axis: 1).sum(),
            dot(m, v) + dot(v, n.T).sum(),                          // matrix-vector, vector-matrix (transposed)
            dot(m.T, n) + 0.5 * dot(m, n.T).sum(),                  // Dot22 flags
            nnet.softmax(m) + log(nnet.softmax(n)),                 // softmax, log-softmax
            concatenate([m, n * 2], axis: 0).sum(axis: 0) + stack([v, v * 3], axis: 1).sum(axis: 1).sum(),
            reshape(m, 12).dimshuffle("x", 0) * m[slice(1, 3)].mean(),   // reshape, views, slices, mean's cast
            dot(v, v) + softplus(-s) + sqr(s),                      // vector dot, scalars
        ];
        var state = np.random.RandomState(3);
        var cpu = function([m, n, v, s], outputs);
        var reference = function([m, n, v, s], outputs, backend: "reference");
        var (rtol, atol) = dtype == "float64" ? (1e-9, 1e-12) : (1e-4, 1e-5);
        for (var call = 0; call < 4; call++)
        {
            object[] args =
            [
                state.uniform(-2, 2, [3, 4]).astype(dtype), state.uniform(-2, 2, [3, 4]).astype(dtype),
                state.uniform(-2, 2, [4]).astype(dtype), state.uniform(-2, 2, []).astype(dtype),
            ];
            var (expected, actual) = (reference(args), cpu(args));
            for (var o = 0; o < outputs.Length; o++)
                AssertClose(expected[o], actual[o], rtol, atol, $"call {call}, output {o} ({pp(outputs[o])})");
        }
        Assert.True(IsUnrolled(cpu));
    }

    [Fact]
    public void OtherShapesAndStridedInputsRunTheKernels()
    {
        var (m, v) = (dmatrix("m"), dvector("v"));
        var cpu = function([m, v], tanh(dot(m, v)) * 2);
        var reference = function([m, v], tanh(dot(m, v)) * 2, backend: "reference");
        var state = np.random.RandomState(4);
        NDArray M(int rows) => state.uniform(-1, 1, [rows, 3]);
        var w = state.uniform(-1, 1, [3]);
        cpu(M(4), w);
        cpu(M(4), w);
        Assert.True(IsUnrolled(cpu));
        var program = Executable(cpu).Unrolled;
        foreach (var x in new[] { M(5), M(4), M(2), state.uniform(-1, 1, [3, 4]).T, M(4) })
            AssertClose(reference(x, w), cpu(x, w), 1e-12, 1e-15, $"m of shape ({string.Join(", ", x.shape)})");
        Assert.Same(program, Executable(cpu).Unrolled);   // shapes that came once, and a strided input, rebuild nothing
    }

    [Fact]
    public void ANaNIsRefusedAndNothingChanges()
    {
        var w = shared(new[] { 0.5, -0.5 }, name: "w");
        var x = dvector("x");
        var f = function([x], (x * w).sum(), updates: [(w, w - 0.1 * x)]);
        f(new[] { 1.0, 2.0 });
        f(new[] { 1.0, 2.0 });
        Assert.True(IsUnrolled(f));
        var before = w.get_value();
        var error = Assert.Throws<ArgumentException>(() => f(new[] { 1.0, double.NaN }));
        Assert.Contains("'x'", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.True(np.array_equal(before, w.get_value()));
        f(new[] { 1.0, 2.0 });
        AssertClose(NDArray.FromArray(new[] { 0.3 - 0.1, -0.9 - 0.2 }), w.get_value(), 1e-15, 1e-15,
            "w after a third good call");
    }

    [Fact]
    public void GraphsWithoutAnUnrolledFormOrTooLargeKeepTheKernels()
    {
        var (p, y) = (dmatrix("p"), lvector("y"));
        var labels = function([p, y], nnet.categorical_crossentropy(nnet.softmax(p), y).mean());
        var (a, b) = (dmatrix("a"), dmatrix("b"));
        var large = function([a, b], dot(a, b).sum());
        var identity = function([a], a.T);
        for (var call = 0; call < 3; call++)
        {
            labels(np.ones(2, 3), NDArray.FromArray(new long[] { 0, 2 }));
            large(np.ones(20, 20), np.ones(20, 20));
            identity(np.ones(2, 3));
        }
        Assert.False(IsUnrolled(labels));      // integer labels are data, not shapes
        Assert.False(IsUnrolled(large));       // 8000 multiply-adds, over config.unroll_limit
        Assert.False(IsUnrolled(identity));    // the result is a view of the argument, not a planned buffer
        Assert.Equal(8000.0, (double)large(np.ones(20, 20), np.ones(20, 20)));

    }

    [Fact]
    public void AFailedAttemptIsNotRepeated()
    {
        long BytesPerHundredCalls(bool mayUnroll)
        {
            var x = dmatrix("x");
            var f = function([x], [x.T, x * 2]);   // every node unrolls, but one result is a view of x
            Executable(f).MayUnroll = mayUnroll;
            object[] args = [np.ones(2, 3)];
            for (var call = 0; call < 5; call++) f(args);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var call = 0; call < 100; call++) f(args);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(BytesPerHundredCalls(mayUnroll: false), BytesPerHundredCalls(mayUnroll: true));
    }

    [Fact]
    public void TheKernelsAloneStillTrainAsTheReference()
    {
        var (cpu, reference) = (new Xnor("cpu", borrow: true), new Xnor("reference"));
        Executable(cpu.Train).MayUnroll = false;
        object[] args = [Xnor.Inputs, Xnor.Targets];
        for (var step = 0; step < 50; step++) AssertClose(reference.Train(args)[1], cpu.Train(args)[1], 1e-12, 1e-15,
            $"cost at step {step}");
        Assert.False(IsUnrolled(cpu.Train));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) cpu.Train(args);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheLimitCannotBeNegative() => Assert.Throws<ArgumentException>(() => config.unroll_limit = -1);
}
