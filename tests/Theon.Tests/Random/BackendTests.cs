using Theon.Backends.Cuda.Runtime;
using TestBackends = Theon.Tests.Cuda.Backends;

namespace Theon.Tests.Rng;

/// <summary>The same seed gives the same numbers on every backend: the CPU backend and the CUDA backend on the
/// emulated device (its Philox kernels, and the host fallback for the other draws) against the reference backend,
/// over several calls, so the advanced states agree too.</summary>
public class BackendTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "cpu", "uniform32" }, { "cpu", "uniform64" }, { "cpu", "normal32" }, { "cpu", "normal64" },
        { "cpu", "bernoulli" }, { "cpu", "binomial" }, { "cpu", "choice" }, { "cpu", "permutation" },
        { "emulated", "uniform32" }, { "emulated", "uniform64" }, { "emulated", "normal32" },
        { "emulated", "bernoulli" }, { "emulated", "choice" }, { "emulated", "permutation" },
    };

    private static Variable Make(RandomStreams srng, string kind, Variable x) => kind switch
    {
        "uniform32" => srng.uniform(x.shape, -2.0, 2.0, dtype: "float32") * x,
        "uniform64" => srng.uniform(x.shape, dtype: "float64") + x,
        "normal32" => srng.normal(x.shape, 1.0, 3.0, dtype: "float32"),
        "normal64" => srng.normal(x.shape, dtype: "float64"),
        "bernoulli" => srng.binomial(x.shape, p: 0.3, dtype: "float32") * x,
        "binomial" => srng.binomial(x.shape, n: 7, p: 0.6),
        "choice" => srng.choice(new[] { x.shape[0] }, a: 1000),
        "permutation" => srng.permutation(new[] { x.shape[0] }, n: 9),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceBackend(string backend, string kind)
    {
        var x = T.fmatrix("x");
        var input = NDArray.Full(1.5, DType.Float32, 37, 70_001 / 37 + 1);
        var reference = new RandomStreams(99);
        var expected = T.function([x], Make(reference, kind, x), backend: "reference", on_unused_input: "ignore");
        var srng = new RandomStreams(99);
        var f = T.function([x], Make(srng, kind, x), on_unused_input: "ignore");
        Func<object[], NDArray[]> run = a => [f(a)];
        if (backend != "cpu")
        {
            var onDevice = CompiledFunction.Of(f).On(TestBackends.Named(backend));
            run = onDevice.Call;
            // Uniform draws and Bernoulli masks have device kernels (PhiloxKernels); the others run on the host.
            var fallbacks = ExecutionPlan.Fallbacks(Assert.IsType<CudaExecutable>(onDevice.Executable).Plan)
                .Select(n => n.op.Name).ToArray();
            if (kind is "uniform32" or "uniform64" or "bernoulli") Assert.Empty(fallbacks);
            else Assert.NotEmpty(fallbacks);
        }
        for (var call = 0; call < 3; call++)
        {
            var want = expected(input);
            var got = run([input])[0];
            Assert.Equal(want.shape, got.shape);
            if (kind.StartsWith("normal", StringComparison.Ordinal))
                AssertClose(want.ToFlatArray<double>(), got.ToFlatArray<double>(), kind == "normal32" ? 1e-5 : 1e-12);
            else
                Assert.Equal(want.ToFlatArray<double>(), got.ToFlatArray<double>());
            Assert.Equal(reference.state_updates[0].Item1.get_value().ToFlatArray<long>(),
                srng.state_updates[0].Item1.get_value().ToFlatArray<long>());
        }
    }

    private static void AssertClose(double[] want, double[] got, double tolerance)
    {
        for (var i = 0; i < want.Length; i++)
        {
            if (Math.Abs(want[i] - got[i]) > tolerance * (1 + Math.Abs(want[i])))
                Assert.Fail($"element {i}: {got[i]:R}, expected {want[i]:R}");
        }
    }
}
