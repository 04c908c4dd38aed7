using Theon.Backends.Cuda.Codegen;
using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Cuda;

public class KernelSourceTests
{
    // tanh(x * w + b) with w a broadcast row and b one value: the shape of an MLP layer's activation.
    private static ScalarExpr Call(ScalarOp op, params ScalarExpr[] args) => new ScalarExpr.Call(op, new(args));

    private static ScalarExpr In(int i) => new ScalarExpr.Input(i);

    private static LoopBody Layer(DType dtype) => new(Call(Tanh.Op, Call(Add.Op, Call(Mul.Op, In(0), In(1)), In(2))),
        new([dtype, dtype, dtype]), dtype);

    [Fact]
    public void Fused_kernel_reads_each_input_by_its_layout_and_writes_the_output()
    {
        var body = new LoopBody(Call(Exp.Op, Call(Mul.Op, In(0), In(1))), new([DType.Float32, DType.Float32]),
            DType.Float32);
        var source = new LoopKernel(body, 2, [InputLayout.Contiguous, InputLayout.Strided]).Source();

        Assert.Contains("const float v0 = in0[i];", source);
        Assert.Contains("const float v1 = in1[o1];", source);
        Assert.Contains("const float v2 = (v0 * v1);", source);
        Assert.Contains("const float v3 = expf(v2);", source);
        Assert.Contains("out0[i] = v3;", source);
        Assert.Contains("i += step", source);
        Assert.Contains("const long long step = (long long)blockDim.x * gridDim.x;", source);
        Assert.Contains("o1 += c * layout.stride[0][1];", source);
        Assert.DoesNotContain("o0", source);
    }

    [Fact]
    public void A_packed_kernel_moves_four_elements_a_load_and_finishes_with_a_scalar_loop()
    {
        var source = new LoopKernel(Layer(DType.Float32), 2, [InputLayout.Contiguous, InputLayout.Contiguous,
            InputLayout.Scalar], Packed: true).Source();

        Assert.Contains("const theon_pack<float> p0 = reinterpret_cast<const theon_pack<float>*>(in0)[p];", source);
        Assert.Contains("const float v2 = in2[0];", source);
        Assert.Contains("r.v[l] = v5;", source);
        Assert.Contains("reinterpret_cast<theon_pack<float>*>(out0)[p] = r;", source);
        Assert.Contains("for (long long i = n / 4 * 4 + blockIdx.x", source);
        Assert.Throws<ArgumentException>(() => new LoopKernel(Layer(DType.Float32), 2,
            [InputLayout.Strided, InputLayout.Contiguous, InputLayout.Scalar], Packed: true).Source());
    }

    [Fact]
    public void A_reduced_loop_folds_the_body_per_block_without_storing_it()
    {
        var source = new LoopKernel(Layer(DType.Float32), 2, [InputLayout.Contiguous, InputLayout.Strided,
            InputLayout.Scalar], Reduction: "sum").Source();

        Assert.Contains("long long outer, long long length, long long inner", source);
        Assert.Contains("const long long i = base + k * inner;", source);
        Assert.Contains("const double b = (double)value;", source);
        Assert.Contains("if (threadIdx.x == 0) y[e] = (float)partial[0];", source);
        Assert.DoesNotContain("out0", source);
    }

    [Fact]
    public void A_strided_output_is_written_through_its_strides()
    {
        var source = new LoopKernel(LoopBody.Convert(DType.Float32, DType.Float32), 2,
            [InputLayout.Contiguous], StridedOutput: true).Source();

        Assert.Contains("out0[oo] = v0;", source);
        Assert.Contains("oo += c * layout.stride[0][1];", source);
    }

    [Fact]
    public void Each_call_is_converted_to_the_loop_dtype_as_composite_perform_does()
    {
        var body = new LoopBody(Call(Mul.Op, In(0), new ScalarExpr.Literal(2, DType.Int8)), new([DType.Float32]),
            DType.Float32);
        var source = new LoopKernel(body, 1, [InputLayout.Contiguous]).Source();

        Assert.Contains("((signed char)2ll)", source);
        Assert.Contains("out0[i] = v1;", source);
    }

    [Fact]
    public void Scalar_inputs_read_element_zero() =>
        Assert.Contains("const double v2 = in2[0];",
            new LoopKernel(Layer(DType.Float64), 2, [InputLayout.Contiguous, InputLayout.Strided,
                InputLayout.Scalar]).Source());

    [Fact]
    public void Kernel_names_depend_on_graph_rank_and_layouts()
    {
        var layouts = new[] { InputLayout.Contiguous, InputLayout.Strided, InputLayout.Scalar };
        var a = new LoopKernel(Layer(DType.Float32), 2, layouts);

        Assert.Equal(a.Name, new LoopKernel(Layer(DType.Float32), 2, layouts).Name);
        Assert.NotEqual(a.Name, new LoopKernel(Layer(DType.Float64), 2, layouts).Name);
        Assert.NotEqual(a.Name, new LoopKernel(Layer(DType.Float32), 3, layouts).Name);
        Assert.NotEqual(a.Name, new LoopKernel(Layer(DType.Float32), 2, [.. layouts.Reverse()]).Name);
    }

    [Fact]
    public void Layout_argument_holds_the_shape_then_each_strided_inputs_strides()
    {
        var kernel = new LoopKernel(Layer(DType.Float32), 2, [InputLayout.Strided, InputLayout.Strided,
            InputLayout.Scalar]);

        Assert.Equal([4, 3, 3, 1, 0, 1], kernel.LayoutArgument([4, 3], [[3, 1], [0, 1]]));
    }

    [Fact]
    public void The_loop_body_of_a_composite_is_the_fusion_phases_expression()
    {
        var (x, w) = (matrix("x"), vector("w"));
        var f = CompiledFunction.Of(function([x, w], tanh(x * w + 1.0), backend: "cpu"));
        var node = Assert.Single(f.Schedule, n => n.op is Composite);

        var body = LoopBody.Of(node);

        Assert.Equal(((Composite)node.op).Body, body.Expression);
        Assert.Equal([DType.Float64, DType.Float64], body.Inputs);
        Assert.True(body.IsSupported);
    }

    [Fact]
    public void Rank_above_the_maximum_is_refused_with_the_limit()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new LoopKernel(Layer(DType.Float32), 9, [InputLayout.Strided, InputLayout.Strided,
                InputLayout.Strided]).Source());
        Assert.Contains("up to 8", e.Message);
    }

    [Fact]
    public void Cache_keys_change_with_source_architecture_and_compiler_version()
    {
        var key = KernelCompiler.CacheKey("src", "compute_90", (12, 4));

        Assert.Equal(64, key.Length);
        Assert.Equal(key, KernelCompiler.CacheKey("src", "compute_90", (12, 4)));
        Assert.NotEqual(key, KernelCompiler.CacheKey("src2", "compute_90", (12, 4)));
        Assert.NotEqual(key, KernelCompiler.CacheKey("src", "compute_80", (12, 4)));
        Assert.NotEqual(key, KernelCompiler.CacheKey("src", "compute_90", (12, 5)));
    }
}
