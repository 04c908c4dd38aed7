using BenchmarkDotNet.Attributes;
using TorchSharp;
using Theon.Backends.Cpu;

namespace Theon.Benchmarks;

/// <summary>C = A·B for square n×n matrices: Theon's managed GEMM against TorchSharp's CPU matmul.</summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] a32 = [], b32 = [], c32 = [];
    private double[] a64 = [], b64 = [], c64 = [];
    private torch.Tensor? ta32, tb32, ta64, tb64;

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        a32 = RandomSingles(random, N * N);
        b32 = RandomSingles(random, N * N);
        c32 = new float[N * N];
        a64 = Array.ConvertAll(a32, x => (double)x);
        b64 = Array.ConvertAll(b32, x => (double)x);
        c64 = new double[N * N];
        PackedGemm.MaxThreads = Threads;
        torch.set_num_threads(Threads);
        ta32 = torch.tensor(a32, N, N);
        tb32 = torch.tensor(b32, N, N);
        ta64 = torch.tensor(a64, N, N);
        tb64 = torch.tensor(b64, N, N);
        AgreesWithTorch();
    }

    // Both sides must compute the same product before their speeds are compared.
    private void AgreesWithTorch()
    {
        TheonSgemm();
        TheonDgemm();
        using var expected32 = ta32!.mm(tb32!);
        using var expected64 = ta64!.mm(tb64!);
        var error32 = MaxDifference(c32, expected32.data<float>().ToArray());
        var error64 = MaxDifference(c64, expected64.data<double>().ToArray());
        // Entries are sums of N products of values in [-1, 1]; allow N·eps of growth.
        if (error32 > N * 1e-6 || error64 > N * 1e-14)
            throw new InvalidOperationException(
                $"n = {N}: Theon and TorchSharp disagree by {error32} (float) and {error64} (double).");
    }

    private static double MaxDifference<T>(T[] actual, T[] expected) where T : System.Numerics.INumber<T>
    {
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
            max = Math.Max(max, Math.Abs(double.CreateChecked(actual[i] - expected[i])));
        return max;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { ta32, tb32, ta64, tb64 }) t?.Dispose();
        PackedGemm.MaxThreads = Environment.ProcessorCount;
    }

    [Benchmark(Description = "Theon SGEMM")]
    public void TheonSgemm() => PackedGemm.Multiply(false, false, N, N, N, 1f, a32, N, b32, N, 0f, c32, N);

    [Benchmark(Description = "Torch SGEMM")]
    public void TorchSgemm()
    {
        using var product = ta32!.mm(tb32!);
    }

    [Benchmark(Description = "Theon DGEMM")]
    public void TheonDgemm() => PackedGemm.Multiply(false, false, N, N, N, 1.0, a64, N, b64, N, 0.0, c64, N);

    [Benchmark(Description = "Torch DGEMM")]
    public void TorchDgemm()
    {
        using var product = ta64!.mm(tb64!);
    }

    private static float[] RandomSingles(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
