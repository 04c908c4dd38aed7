using Theon.Backends.Cuda.Codegen;
using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Cuda;

public class KernelSourceTests
{
    // tanh(x * w + b) with w a broadcast row and b one value: the shape of an MLP layer's activation.
    private static ScalarGraph Layer(DType dtype) => new([dtype, dtype, dtype],
        [new ScalarNode(Mul.Op, [0, 1]), new ScalarNode(Add.Op, [3, 2]), new ScalarNode(Tanh.Op, [4])], [5]);

    [Fact]
    public void Fused_kernel_reads_each_input_by_its_layout_and_writes_every_output()
    {
        var graph = new ScalarGraph([DType.Float32, DType.Float32],
            [new ScalarNode(Mul.Op, [0, 1]), new ScalarNode(Exp.Op, [2])], [2, 3]);
        var source = new ElementwiseKernel(graph, 2, [InputLayout.Contiguous, InputLayout.Strided]).Source();

        Assert.Contains("const float v0 = in0[i];", source);
        Assert.Contains("const float v1 = in1[o1];", source);
        Assert.Contains("const float v2 = (v0 * v1);", source);
        Assert.Contains("const float v3 = expf(v2);", source);
        Assert.Contains("out0[i] = v2;", source);
        Assert.Contains("out1[i] = v3;", source);
        Assert.Contains("i += (long long)blockDim.x * gridDim.x", source);
        Assert.Contains("o1 += c * layout.stride[0][1];", source);
        Assert.DoesNotContain("o0", source);
    }

    [Fact]
    public void Scalar_inputs_read_element_zero() =>
        Assert.Contains("const double v2 = in2[0];",
            new ElementwiseKernel(Layer(DType.Float64), 2, [InputLayout.Contiguous, InputLayout.Strided,
                InputLayout.Scalar]).Source());

    [Fact]
    public void Kernel_names_depend_on_graph_rank_and_layouts()
    {
        var layouts = new[] { InputLayout.Contiguous, InputLayout.Strided, InputLayout.Scalar };
        var a = new ElementwiseKernel(Layer(DType.Float32), 2, layouts);

        Assert.Equal(a.Name, new ElementwiseKernel(Layer(DType.Float32), 2, layouts).Name);
        Assert.NotEqual(a.Name, new ElementwiseKernel(Layer(DType.Float64), 2, layouts).Name);
        Assert.NotEqual(a.Name, new ElementwiseKernel(Layer(DType.Float32), 3, layouts).Name);
        Assert.NotEqual(a.Name, new ElementwiseKernel(Layer(DType.Float32), 2, [.. layouts.Reverse()]).Name);
    }

    [Fact]
    public void Layout_argument_holds_the_shape_then_each_strided_inputs_strides()
    {
        var kernel = new ElementwiseKernel(Layer(DType.Float32), 2, [InputLayout.Strided, InputLayout.Strided,
            InputLayout.Scalar]);

        Assert.Equal([4, 3, 3, 1, 0, 1], kernel.LayoutArgument([4, 3], [[3, 1], [0, 1]]));
    }

    [Fact]
    public void Scalar_graph_from_elemwise_nodes_numbers_external_inputs_first()
    {
        var (x, w) = (matrix("x"), vector("w"));
        var y = tanh(x * w + 1.0);
        var nodes = GraphWalk.TopoSort([y]).Where(n => n.op is Elemwise).ToArray();

        var (graph, inputs) = ScalarGraph.FromElemwise(nodes, [y]);

        Assert.Equal(3, inputs.Count);
        Assert.Same(x, inputs[0]);
        Assert.Equal("in(float64,float64,float64) v3=mul(v0,v1) v4=add(v3,v2) v5=tanh(v4) out(v5)", graph.Signature);
    }

    [Fact]
    public void A_scalar_graph_rejects_a_value_used_before_it_is_computed() =>
        Assert.Throws<ArgumentException>(() => new ScalarGraph([DType.Float32], [new ScalarNode(Exp.Op, [1])], [1]));

    [Fact]
    public void Rank_above_the_maximum_is_refused_with_the_limit()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new ElementwiseKernel(Layer(DType.Float32), 9, [InputLayout.Strided, InputLayout.Strided,
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
