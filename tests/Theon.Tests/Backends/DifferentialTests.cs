using CsCheck;
using static Theon.T;

namespace Theon.Tests.CpuBackend;

/// <summary>
/// Random graphs (elementwise chains with broadcasting, reductions, dot) compiled for the CPU backend and for the
/// reference evaluator, on the same random inputs (a graph the reference rejects must be rejected too). Tolerance:
/// |cpu - reference| ≤ rtol·|reference| + atol with
/// rtol = 1e-9, atol = 1e-12 for float64 and rtol = 1e-4, atol = 1e-5 for float32: the vector exp/log and the
/// float64 accumulation order differ from the reference kernels by a few ulps per op. Each function is called three
/// times: the first call runs the kernels, the second runs them on the planned buffers of the first (and unrolls a
/// small graph), the third runs the unrolled program where there is one.
/// </summary>
public class DifferentialTests
{
    private static readonly Gen<(int Seed, int Rows, int Cols, int Ops)> Cases =
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 9], Gen.Int[1, 40], Gen.Int[1, 12]);

    [Fact]
    public void Float64GraphsMatchTheReference() => SampleAndCountUnrolled("float64", 1e-9, 1e-12);

    [Fact]
    public void Float32GraphsMatchTheReference() => SampleAndCountUnrolled("float32", 1e-4, 1e-5);

    /// <summary>150 random graphs; at least a fifth of them must have run unrolled, so both paths are tested.</summary>
    private static void SampleAndCountUnrolled(string dtype, double rtol, double atol)
    {
        var unrolled = 0;
        Cases.Sample(c =>
        {
            if (Compare(c.Seed, c.Rows, c.Cols, c.Ops, dtype, rtol, atol)) Interlocked.Increment(ref unrolled);
        }, iter: 150);
        Assert.True(unrolled >= 30, $"only {unrolled} of 150 graphs ran unrolled");
    }

    [Fact]
    public void LargeElementwiseLoopsRunInParallelAndMatch() =>
        Assert.False(Compare(7, 300, 400, 8, "float64", 1e-9, 1e-12));

    /// <summary>True when the last call ran an unrolled program.</summary>
    private static bool Compare(int seed, int rows, int cols, int ops, string dtype, double rtol, double atol)
    {
        var rng = new Random(seed);
        var a = tensor(dtype, [false, false], "a");
        var b = tensor(dtype, [false, false], "b");
        var v = tensor(dtype, [false], "v");
        var s = tensor(dtype, [], "s");
        var w = tensor(dtype, [false, false], "w");
        var pool = new List<Variable> { a, b, v, s };
        for (var i = 0; i < ops; i++) pool.Add(RandomOp(rng, pool, w));
        Variable[] outputs = [pool[^1], pool[rng.Next(4, pool.Count)]];
        var state = np.random.RandomState(seed);
        object[] args =
        [
            state.uniform(-2, 2, [rows, cols]).astype(dtype), state.uniform(-2, 2, [rows, cols]).astype(dtype),
            state.uniform(-2, 2, [cols]).astype(dtype), state.uniform(-2, 2, []).astype(dtype),
            state.uniform(-1, 1, [cols, cols]).astype(dtype),
        ];
        Variable[] inputs = [a, b, v, s, w];
        // a random graph need not read every input (Theano's random tests pass on_unused_input='ignore' too)
        var cpu = function(inputs, outputs, backend: "cpu", on_unused_input: "ignore");
        NDArray[] expected;
        try
        {
            expected = function(inputs, outputs, backend: "reference", on_unused_input: "ignore")(args);
        }
        catch (ArgumentException)
        {
            // the random graph mixes vectors of different lengths: the CPU backend must refuse it too
            Assert.Throws<ArgumentException>(() => cpu(args));
            return false;
        }
        for (var call = 0; call < 3; call++)
        {
            var actual = cpu(args);
            for (var o = 0; o < outputs.Length; o++)
            {
                Assert.Equal(expected[o].shape, actual[o].shape);
                var (x, y) = (expected[o].ToFlatArray<double>(), actual[o].ToFlatArray<double>());
                for (var i = 0; i < x.Length; i++)
                {
                    if (Math.Abs(x[i] - y[i]) > rtol * Math.Abs(x[i]) + atol
                        || double.IsNaN(x[i]) != double.IsNaN(y[i]))
                        Assert.Fail($"call {call}, output {o}, element {i}: reference {x[i]}, cpu {y[i]}; graph " +
                            $"{pp(outputs[o])}");
                }
            }
        }
        return ((Theon.Backends.Cpu.CpuExecutable)CompiledFunction.Of(cpu).Executable).Unrolled is not null;
    }

    private static Variable RandomOp(Random rng, List<Variable> pool, Variable w)
    {
        Variable Pick() => pool[rng.Next(pool.Count)];
        var x = Pick();
        return rng.Next(18) switch
        {
            0 => -x,
            1 => tanh(x),
            2 => sigmoid(x),
            3 => exp(tanh(x)),
            4 => sqr(x),
            5 => abs(x) + 1,
            6 => log(1 + sqr(x)),
            7 => softplus(x),
            8 => x + Pick(),
            9 => x - Pick() * 0.5,
            10 => x * Pick(),
            11 => maximum(x, Pick()),
            12 => x / (1 + sqr(Pick())),
            13 => x.ndim == 2 ? sum(x, axis: rng.Next(2), keepdims: rng.Next(2) == 0) : sum(x),
            14 => x.ndim == 2 ? dot(x, w) : x.ndim == 1 ? dot(w, x) : x * 2,
            15 => x.ndim > 0 ? nnet.softmax(x) : x - 1,
            16 => x.ndim > 0 ? log(nnet.softmax(x)) : x + 1,
            _ => x.ndim == 2 ? dot(x.T, Pick().ndim == 2 ? pool[0] : pool[1]) : sqrt(abs(x)),
        };
    }
}
