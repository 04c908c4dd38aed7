using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Tests.Cuda;

/// <summary>
/// Every generated kernel compiles to PTX. Runs where NVRTC is installed (libnvrtc11.2 or newer); skipped otherwise.
/// </summary>
public class NvrtcCompileTests
{
    private static readonly DType[] Numeric = [DType.Float32, DType.Float64, DType.Int64, DType.Int32, DType.UInt8];

    public static TheoryData<string> ScalarOps() => [.. ScalarCodeTests.AllScalarOps().Select(op => op.Name)];

    private static ScalarOp Find(string name) => ScalarCodeTests.AllScalarOps().Single(op => op.Name == name);

    private static IEnumerable<DType> InputTypes(ScalarOp op) => op switch
    {
        Relu or Clip or Maximum or Minimum or Abs or Sgn or Sqr or Add or Sub or Mul or Neg or Pow or Compare or Cast
            or Second or Switch => Numeric,
        BitwiseOp => [DType.Bool, DType.Int32, DType.Int64],
        _ => [DType.Float32, DType.Float64, DType.Int64],
    };

    [Theory]
    [MemberData(nameof(ScalarOps))]
    public void Every_scalar_op_compiles_in_a_fused_kernel_for_each_dtype(string name)
    {
        NvrtcAvailability.Require();
        var op = Find(name);
        foreach (var dtype in InputTypes(op))
        {
            var arity = op.Arity < 0 ? 3 : op.Arity;
            var inputs = Enumerable.Repeat(dtype, arity).ToArray();
            if (op is Switch) inputs[0] = DType.Bool;
            var body = new LoopBody(ScalarExpr.Of(op, arity), new(inputs), op.OutputDType(inputs));
            var layouts = Enumerable.Range(0, arity).Select(i => (InputLayout)(i % 3)).ToArray();
            var kernel = new LoopKernel(body, 3, layouts);

            Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
        }
    }

    [Fact]
    public void A_fused_chain_with_mixed_dtypes_compiles()
    {
        static ScalarExpr Call(ScalarOp op, params ScalarExpr[] args) => new ScalarExpr.Call(op, new(args));
        var (x, n, flag) = (new ScalarExpr.Input(0), new ScalarExpr.Input(1), new ScalarExpr.Input(2));
        var chosen = Call(Switch.Op, flag, Call(Sigmoid.Op, Call(Mul.Op, x, n)), x);
        var body = new LoopBody(Call(new Cast(DType.Float64), Call(Compare.Gt, chosen, x)),
            new([DType.Float32, DType.Int64, DType.Bool]), DType.Float64);
        var kernel = new LoopKernel(body, 0, [InputLayout.Scalar, InputLayout.Scalar, InputLayout.Scalar]);

        Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    [InlineData("bool")]
    public void A_packed_kernel_compiles(string dtype)
    {
        var type = DType.Parse(dtype);
        var body = new LoopBody(ScalarExpr.Of(Maximum.Op, 2), new([type, type]), type);
        var kernel = new LoopKernel(body, 1, [InputLayout.Contiguous, InputLayout.Scalar], Packed: true);

        Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
    }

    [Theory]
    [InlineData("sum", "float32")]
    [InlineData("prod", "float64")]
    [InlineData("sum", "int64")]
    public void A_reduced_loop_compiles(string kind, string dtype)
    {
        var type = DType.Parse(dtype);
        var body = new LoopBody(ScalarExpr.Of(Mul.Op, 2), new([type, type]), type);
        var kernel = new LoopKernel(body, 2, [InputLayout.Strided, InputLayout.Contiguous], Reduction: kind);

        Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
    }

    public static TheoryData<string, string> Reductions() =>
        [.. from kind in ReductionKernel.Kinds from dtype in new[] { "float32", "float64", "int64",
            "int32" } select (kind, dtype)];

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Reductions_compile(string kind, string dtype)
    {
        var kernel = new ReductionKernel(kind, DType.Parse(dtype));

        Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void Softmax_log_softmax_and_cross_entropy_compile(string dtype)
    {
        var kernels = new SoftmaxKernels(DType.Parse(dtype));
        var ptx = NvrtcAvailability.Compile(kernels.Source());

        foreach (var name in new[] { kernels.SoftmaxName, kernels.LogSoftmaxName, kernels.CrossEntropyName,
            kernels.CrossEntropyGradName })
            Assert.Contains($".entry {name}", ptx);
    }

    [Theory]
    [InlineData("float32", 1)]
    [InlineData("float32", 2)]
    [InlineData("float64", 2)]
    [InlineData("int64", 3)]
    [InlineData("int32", 4)]
    public void Gather_and_scatter_add_compile(string dtype, int indexArrays)
    {
        var kernels = new IndexingKernels(DType.Parse(dtype), indexArrays);
        var ptx = NvrtcAvailability.Compile(kernels.Source());

        Assert.Contains($".entry {kernels.GatherName}", ptx);
        Assert.Contains($".entry {kernels.ScatterAddName}", ptx);
        Assert.Contains($".entry {kernels.ScatterClaimName}", ptx);
        Assert.Contains($".entry {kernels.ScatterSetName}", ptx);
    }

    [Fact]
    public void A_compile_error_carries_the_nvrtc_error_name_and_log()
    {
        var e = Assert.Throws<Theon.Backends.Cuda.Native.CudaException>(() =>
            NvrtcAvailability.Compile("extern \"C\" __global__ void broken() { undeclared_name = 1; }"));

        Assert.Equal("NVRTC_ERROR_COMPILATION", e.ErrorName);
        Assert.Contains("undeclared_name", e.Message);
    }

    [Fact]
    public void Compiled_ptx_is_cached_in_memory_and_on_disk()
    {
        NvrtcAvailability.Require();
        var folder = Directory.CreateTempSubdirectory("theon-cuda-cache-").FullName;
        try
        {
            var source = new ReductionKernel("sum", DType.Float32).Source();
            var first = new KernelCompiler(folder);
            var ptx = first.Ptx(source, "compute_80");
            Assert.Equal(ptx, first.Ptx(source, "compute_80"));
            Assert.Equal(1, first.Compilations);
            Assert.Single(Directory.GetFiles(folder, "*.ptx"));

            var second = new KernelCompiler(folder);
            Assert.Equal(ptx, second.Ptx(source, "compute_80"));
            Assert.Equal(0, second.Compilations);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
