using CsCheck;

namespace Theon.Tests.Gemm;

public class GemmPropertyTests
{
    private static readonly Gen<GemmCase> Cases =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[1, 150], Gen.Int[1, 150], Gen.Int[1, 150],
                Gen.OneOf(0.0, 1.0, -0.5, 2.25), Gen.OneOf(0.0, 1.0, 0.75, -2.0), Gen.Int[0, 1_000_000])
            .Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 5],
                (t, padA, padB, padC) => new GemmCase(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6,
                    t.Item7, padA, padB, padC, t.Item8));

    // Matrix-vector products (one output row or column) take the GEMV path.
    private static readonly Gen<GemmCase> VectorCases =
        Cases.Select(Gen.Bool, (c, rowVector) => rowVector ? c with { M = 1 } : c with { N = 1 });

    public static TheoryData<string> Kernels => new("avx512", "avx2", "simd128", "scalar");

    [Theory]
    [MemberData(nameof(Kernels))]
    public void DoubleMatchesReference(string kernel) =>
        Cases.Sample(c =>
        {
            var operands = c.Create<double>();
            var result = operands.Copy();
            c.Run(kernel, result, maxThreads: 1);
            c.AssertMatchesReference(operands, result.C);
        }, iter: 150);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void SingleMatchesReference(string kernel) =>
        Cases.Sample(c =>
        {
            var operands = c.Create<float>();
            var result = operands.Copy();
            c.Run(kernel, result, maxThreads: 1);
            c.AssertMatchesReference(operands, result.C);
        }, iter: 150);

    [Fact]
    public void MatrixVectorProductsMatchReference()
    {
        VectorCases.Sample(c =>
        {
            var operands = c.Create<double>();
            var result = operands.Copy();
            c.Run("avx2", result, maxThreads: 2);
            c.AssertMatchesReference(operands, result.C);
        }, iter: 200);
        VectorCases.Sample(c =>
        {
            var operands = c.Create<float>();
            var result = operands.Copy();
            c.Run("avx512", result, maxThreads: 2);
            c.AssertMatchesReference(operands, result.C);
        }, iter: 200);
    }
}
