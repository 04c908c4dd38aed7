using Theon.Backends.Cpu;
using Theon.Backends.Cpu.Random;
using Theon.Ops.Random;
using static Theon.T;

namespace Theon.Tests.Rng;

/// <summary>The CPU backend's Philox kernel: its eight-lane blocks against the scalar generator, the same numbers
/// for any thread count and size (vector body, tails), and the op's errors on arguments it refuses.</summary>
[Collection(nameof(Walkthroughs.GlobalConfig))]
public class KernelTests
{
    [Theory]
    [InlineData(0x0123456789abcdefUL, 0UL)]
    [InlineData(0xffffffffffffffffUL, 0xfffffffcUL)]
    [InlineData(42UL, 0xfffffffffffffffcUL)]
    public void EightLanesAreEightBlocks(ulong key, ulong counter)
    {
        Assert.SkipUnless(PhiloxLanes.IsSupported, "no AVX-512 here");
        var (x0, x1, x2, x3) = PhiloxLanes.Blocks(key, counter);
        var state = new StreamState(key, counter);
        for (var lane = 0; lane < 8; lane++)
        {
            var expected = state.Block((ulong)lane);
            Assert.Equal(expected, ((uint)x0[lane], (uint)x1[lane], (uint)x2[lane], (uint)x3[lane]));
        }
    }

    [Fact]
    public void TakesScalarUniformsAndMasks()
    {
        var srng = new RandomStreams(1);
        Assert.NotNull(Kernel(srng.uniform(3, dtype: "float32")));
        Assert.NotNull(Kernel(srng.uniform(3, dtype: "float64")));
        Assert.NotNull(Kernel(srng.binomial(3, p: 0.2, dtype: "float32")));
        Assert.Null(Kernel(srng.binomial(3, n: 2, p: 0.2, dtype: "float32")));
        Assert.Null(Kernel(srng.uniform(3, low: dvector("low"))));
        Assert.Null(Kernel(srng.normal(3)));
    }

    private static object? Kernel(Variable sample)
    {
        var node = sample.owner!;
        return RandomKernel.Create(new NodeSlots(node, [.. Enumerable.Range(0, node.inputs.Count)], [10, 11]));
    }

    [Theory]
    [InlineData("uniform32", 0)]
    [InlineData("uniform32", 1)]
    [InlineData("uniform32", 33)]
    [InlineData("uniform32", 1_000_003)]
    [InlineData("uniform64", 17)]
    [InlineData("uniform64", 300_001)]
    [InlineData("bernoulli", 61)]
    [InlineData("bernoulli", 500_009)]
    public void SameNumbersForEveryThreadCountAndSize(string kind, int n)
    {
        NDArray Run(bool threads, string backend)
        {
            var saved = config.threads;
            config.threads = threads;
            try
            {
                var srng = new RandomStreams(77);
                var v = kind switch
                {
                    "uniform32" => srng.uniform(n, -3.0, 5.0, dtype: "float32"),
                    "uniform64" => srng.uniform(n, 1.0, 2.0, dtype: "float64"),
                    _ => srng.binomial(n, p: 0.37, dtype: "float32"),
                };
                var f = function([], v, backend: backend);
                f();
                return f();
            }
            finally
            {
                config.threads = saved;
            }
        }
        var expected = Run(false, "reference").ToFlatArray<double>();
        Assert.Equal(expected, Run(false, "cpu").ToFlatArray<double>());
        Assert.Equal(expected, Run(true, "cpu").ToFlatArray<double>());
    }

    [Fact]
    public void RefusedArgumentsRaiseTheOpsErrors()
    {
        var (p, n) = (fscalar("p"), lscalar("n"));
        var srng = new RandomStreams(3);
        var f = function([p, n], srng.binomial(new[] { n }, p: p, dtype: "float32"));
        Assert.Contains("binomial: p p must be in [0, 1], got -0.5",
            Assert.Throws<ArgumentException>(() => f(-0.5f, 4L)).Message);
        Assert.Contains("expected 1 non-negative lengths", Assert.Throws<ArgumentException>(() => f(0.5f, -4L)).Message);
        Assert.Equal(0L, srng.state_updates[0].Item1.get_value().ToFlatArray<long>()[1]);
        Assert.Equal(4, f(0.5f, 4L).size);
    }
}

/// <summary>The CUDA source of the Philox kernels compiles to PTX (where NVRTC is installed; skipped otherwise).</summary>
public class PhiloxKernelSourceTests
{
    [Fact]
    public void EveryPhiloxKernelCompilesWithNvrtc()
    {
        Cuda.NvrtcAvailability.Require();
        var ptx = Cuda.NvrtcAvailability.Compile(new Theon.Backends.Cuda.Codegen.PhiloxKernels().Source());
        foreach (var name in new[] { Theon.Backends.Cuda.Codegen.PhiloxKernels.UniformSingle,
                     Theon.Backends.Cuda.Codegen.PhiloxKernels.UniformDouble,
                     Theon.Backends.Cuda.Codegen.PhiloxKernels.BernoulliSingle })
            Assert.Contains($".entry {name}", ptx);
    }
}
