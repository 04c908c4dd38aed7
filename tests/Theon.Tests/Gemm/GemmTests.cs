using Theon.Backends.Cpu;
using Api = Theon.Backends.Cpu.PackedGemm;

namespace Theon.Tests.Gemm;

public class GemmTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void LargeDoubleMatchesReference(bool transA, bool transB)
    {
        var c = new GemmCase(transA, transB, 513, 513, 513, 1.0, 0.0, 0, 0, 0, Seed: 7);
        var operands = c.Create<double>();
        var result = operands.Copy();
        Api.Multiply(transA, transB, c.M, c.N, c.K, c.Alpha, result.A, c.Lda, result.B, c.Ldb, c.Beta, result.C, c.Ldc);
        c.AssertMatchesReference(operands, result.C);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void LargeSingleMatchesReference(bool transA, bool transB)
    {
        var c = new GemmCase(transA, transB, 513, 513, 513, -0.5, 0.75, 3, 1, 2, Seed: 8);
        var operands = c.Create<float>();
        var result = operands.Copy();
        Api.Multiply(transA, transB, c.M, c.N, c.K, (float)c.Alpha, result.A, c.Lda, result.B, c.Ldb, (float)c.Beta,
            result.C, c.Ldc);
        c.AssertMatchesReference(operands, result.C);
    }

    [Theory]
    [InlineData(300, 257, 190)]
    [InlineData(97, 611, 300)]
    [InlineData(611, 97, 300)]
    [InlineData(40, 700, 300)]
    public void ThreadCountDoesNotChangeTheResult(int m, int n, int k)
    {
        foreach (var kernel in new[] { "avx512", "avx2" })
        {
            var c = new GemmCase(false, true, m, n, k, 1.5, 0.25, 1, 2, 3, Seed: m + n + k);
            var operands = c.Create<double>();
            var single = operands.Copy();
            c.Run(kernel, single, maxThreads: 1);
            foreach (var threads in new[] { 2, 3 })
            {
                var parallel = operands.Copy();
                c.Run(kernel, parallel, threads);
                Assert.Equal(single.C, parallel.C);
            }
        }
    }

    [Fact]
    public void ZeroDepthOrZeroAlphaOnlyScalesC()
    {
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8];
        double[] c = [1, 2, 3, 4];
        Api.Multiply(false, false, 2, 2, 0, 1.0, a, 2, b, 2, 3.0, c, 2);
        Assert.Equal([3.0, 6, 9, 12], c);
        Api.Multiply(false, false, 2, 2, 2, 0.0, a, 2, b, 2, 0.5, c, 2);
        Assert.Equal([1.5, 3, 4.5, 6], c);
        c = [double.NaN, double.NaN, double.NaN, double.NaN];
        Api.Multiply(false, false, 2, 2, 0, 1.0, a, 2, b, 2, 0.0, c, 2);
        Assert.Equal([0.0, 0, 0, 0], c);
    }

    [Fact]
    public void SmallProductIsExact()
    {
        float[] a = [1, 2, 3, 4, 5, 6], b = [7, 8, 9, 10, 11, 12];
        var c = new float[4];
        Api.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2);
        Assert.Equal([58f, 64, 139, 154], c);
        Api.Multiply(true, true, 2, 2, 3, 1f, b, 2, a, 3, 0f, c, 2);
        Assert.Equal([58f, 139, 64, 154], c);
    }

    [Fact]
    public void BadArgumentsNameTheInput()
    {
        var a = new double[6];
        var b = new double[6];
        var c = new double[4];
        var shortA = Assert.Throws<ArgumentException>(() =>
            Api.Multiply(false, false, 2, 2, 3, 1.0, a.AsSpan(0, 5), 3, b, 2, 0.0, c, 2));
        Assert.Equal("a", shortA.ParamName);
        Assert.Contains("expected at least 6 elements", shortA.Message);
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Api.Multiply(false, true, 2, 2, 3, 1.0, a, 3, b, 2, 0.0, c, 2));
        Assert.Equal("ldb", stride.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Api.Multiply(false, false, -1, 2, 3, 1.0, a, 3, b, 2, 0.0, c, 2));
        Assert.Equal("m", negative.ParamName);
        var overlap = Assert.Throws<ArgumentException>(() =>
            Api.Multiply(false, false, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, a.AsSpan(2, 4), 2));
        Assert.Equal("c", overlap.ParamName);
    }

    [Fact]
    public void SteadyStateSingleThreadedCallAllocatesNothing()
    {
        var c = new GemmCase(false, false, 200, 150, 300, 1.0, 0.0, 0, 0, 0, Seed: 3);
        var x = c.Create<float>();
        void Call() => Api.Execute<float, Avx512Kernel<float>>(false, false, c.M, c.N, c.K, 1f, x.A, c.Lda, x.B,
            c.Ldb, 0f, x.C, c.Ldc, maxThreads: 1);
        Call();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Call();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
