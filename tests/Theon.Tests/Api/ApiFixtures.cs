using Theon.Tests.Ops;

namespace Theon.Tests.TensorApi;

/// <summary>tests/fixtures/api_fixtures.json, written by tests/fixtures/make_api_fixtures.py with numpy.</summary>
internal static class ApiFixtures
{
    private static readonly Lazy<Dictionary<string, OpCase>> Cases = new(() => OpFixtures.Load("api_fixtures.json"));

    public static IReadOnlyDictionary<string, OpCase> All => Cases.Value;

    /// <summary>Each case on the CPU backend and on the reference evaluator.</summary>
    public static TheoryData<string, string> OnCpuAndReference(IEnumerable<string> names)
    {
        var data = new TheoryData<string, string>();
        foreach (var name in names)
        {
            data.Add(name, "cpu");
            data.Add(name, "reference");
        }
        return data;
    }

    /// <summary>The named cases on one backend.</summary>
    public static void CheckAll(string backend, IReadOnlyDictionary<string, Func<Variable[], Variable>> builders, params string[] names)
    {
        foreach (var name in names) Check(name, builders[name], backend);
    }

    /// <summary>
    /// Compiles <paramref name="build"/> over inputs typed like the case's (broadcastable where the length is 1, as
    /// verify_grad makes them), runs it on the case's inputs with
    /// <paramref name="backend"/> (also "emulated" or "cuda", <see cref="Cuda.Backends"/>) and compares with numpy's output: the same dtype and shape, equal integers and
    /// bools, floats within 1e-12 relative (2e-6 for float32) (NaN where numpy has NaN, infinities equal). An input holding NaN, which a
    /// function refuses as an argument, is given as a constant.
    /// </summary>
    public static void Check(string name, Func<Variable[], Variable> build, string backend = "cpu")
    {
        var c = All[name];
        var (inputs, parameters, arguments) = Inputs(c);
        var device = backend is "emulated" or "cuda";
        var f = T.function(parameters, build(inputs), backend: device ? "cpu" : backend, on_unused_input: "ignore");
        var actual = device ? Cuda.Backends.On(backend, f)(arguments)[0] : f(arguments);
        AssertMatches(name, c.Expected, actual);
    }

    /// <summary>The case's inputs as variables; those holding NaN are constants, the rest parameters.</summary>
    private static (Variable[] Inputs, Variable[] Parameters, object[] Arguments) Inputs(OpCase c)
    {
        var hasNaN = c.Inputs.Select(a => a.DType.IsFloat && a.ToFlatArray<double>().Any(double.IsNaN)).ToArray();
        var inputs = c.Inputs.Select((a, i) => hasNaN[i] ? T.constant(a) : T.tensor(a.dtype, [.. a.shape.Select(n => n == 1)], $"x{i}")).ToArray();
        return (inputs, [.. inputs.Where((_, i) => !hasNaN[i])], [.. c.Inputs.Where((_, i) => !hasNaN[i])]);
    }

    /// <summary>
    /// The case's shape as <c>shape(expression)</c> computes it: the optimizer's shape phase builds it from the op's
    /// InferShape where it can (Theano's ShapeFeature), so every op's InferShape is checked against numpy here.
    /// </summary>
    public static void CheckShape(string name, Func<Variable[], Variable> build, string backend)
    {
        var c = All[name];
        var (inputs, parameters, arguments) = Inputs(c);
        var v = build(inputs);
        Assert.Equal(c.Expected.ndim, v.ndim);
        if (v.ndim == 0) return;
        var dims = T.stack([.. Enumerable.Range(0, v.ndim).Select(axis => T.shape(v)[axis])]);
        var f = T.function(parameters, dims, backend: backend, on_unused_input: "ignore");
        Assert.Equal(c.Expected.shape.Select(n => (long)n), f(arguments).ToFlatArray<long>());
    }

    public static void AssertMatches(string name, NDArray expected, NDArray actual)
    {
        Assert.True(expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, numpy {expected.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape {NDArray.ShapeString(actual.shape)}, numpy {NDArray.ShapeString(expected.shape)}");
        var (e, a) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        var tolerance = expected.dtype == "float32" ? 2e-6 : 1e-12; // float32: one ulp apart where rounded once
        for (var k = 0; k < e.Length; k++)
        {
            var close = double.IsNaN(e[k]) ? double.IsNaN(a[k])
                : double.IsInfinity(e[k]) ? e[k] == a[k]
                : Math.Abs(a[k] - e[k]) <= tolerance + tolerance * Math.Abs(e[k]);
            Assert.True(close, $"{name}: element {k} is {a[k]:R}, numpy {e[k]:R}");
        }
    }
}
