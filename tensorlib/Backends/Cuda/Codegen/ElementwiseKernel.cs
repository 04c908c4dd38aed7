using System.Text;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// How a fused kernel reads one input: at the flat index, through strides (broadcasting, views), or one value.
/// </summary>
public enum InputLayout { Contiguous, Strided, Scalar }

/// <summary>
/// A fused elementwise kernel: the scalar graph specialized to the output rank and to each input's layout. Strided
/// inputs take their element strides (0 on broadcast axes) from a by-value <c>Layout</c> argument, so one compiled
/// kernel serves every shape of that rank.
/// </summary>
public sealed record ElementwiseKernel(ScalarGraph Graph, int Rank, IReadOnlyList<InputLayout> Layouts,
    bool StridedOutput = false)
{
    public const int MaxRank = 8;

    public IReadOnlyList<int> StridedInputs =>
        [.. Layouts.Select((l, i) => (l, i)).Where(p => p.l == InputLayout.Strided).Select(p => p.i)];

    public string Signature => $"{Graph.Signature} rank{Rank} [{string.Join(",", Layouts)}]" +
        (StridedOutput ? " strided output" : "");

    public string Name => "theon_elemwise_" + KernelHash.Of(Signature)[..16];

    // Rows of strides in the Layout argument: each strided input's, then the output's when it is a strided view.
    private int StrideRows => StridedInputs.Count + (StridedOutput ? 1 : 0);

    /// <summary>The number of longs in the Layout argument: the shape, then each strided input's strides, then the
    /// output's when <see cref="StridedOutput"/> (a view, as Join writes each part into its slice).</summary>
    public int LayoutLongs => Math.Max(Rank, 1) * (1 + Math.Max(StrideRows, 1));

    public string Source()
    {
        if (Layouts.Count != Graph.Inputs.Count)
            throw new ArgumentException($"{Layouts.Count} layouts for {Graph.Inputs.Count} inputs.");
        if (Rank > MaxRank) throw new ArgumentException($"a fused kernel takes rank up to {MaxRank}, got {Rank}.");
        if (StridedOutput && Graph.Outputs.Count != 1)
            throw new ArgumentException("a kernel writes a strided view for one output only.");
        var strided = StridedInputs;
        var (r, s) = (Math.Max(Rank, 1), Math.Max(StrideRows, 1));
        var code = new StringBuilder();
        code.AppendLine(ScalarCode.Prelude);
        code.AppendLine($"struct {Name}_layout {{ long long shape[{r}]; long long stride[{s}][{r}]; }};");
        var parameters = new List<string> { "long long n", $"{Name}_layout layout" };
        parameters.AddRange(Graph.Inputs.Select((t, i) => $"const {CudaTypes.Of(t)}* __restrict__ in{i}"));
        parameters.AddRange(Graph.OutputTypes.Select((t, o) => $"{CudaTypes.Of(t)}* __restrict__ out{o}"));
        code.AppendLine($"extern \"C\" __global__ void {Name}({string.Join(", ", parameters)})");
        code.AppendLine("{");
        code.AppendLine("    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;");
        code.AppendLine("         i += (long long)blockDim.x * gridDim.x)");
        code.AppendLine("    {");
        if (StrideRows > 0) AppendOffsets(code, strided);
        for (var i = 0; i < Graph.Inputs.Count; i++)
        {
            var at = Layouts[i] switch
            {
                InputLayout.Contiguous => "i",
                InputLayout.Scalar => "0",
                _ => $"o{i}",
            };
            code.AppendLine($"        const {CudaTypes.Of(Graph.Inputs[i])} v{i} = in{i}[{at}];");
        }
        foreach (var (node, k) in Graph.Nodes.Select((n, k) => (n, k)))
        {
            var value = Graph.Inputs.Count + k;
            var types = node.Args.Select(a => Graph.ValueTypes[a]).ToArray();
            var expression = node.Literal is { } literal
                ? CudaTypes.Literal(literal)
                : ScalarCode.Expression(node.Op!, [.. node.Args.Select(a => $"v{a}")], types);
            code.AppendLine($"        const {CudaTypes.Of(Graph.ValueTypes[value])} v{value} = {expression};");
        }
        foreach (var (output, o) in Graph.Outputs.Select((v, o) => (v, o)))
            code.AppendLine($"        out{o}[{(StridedOutput ? "oo" : "i")}] = v{output};");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    // The flat index is split into coordinates from the last axis; each strided input sums coordinate * stride.
    private void AppendOffsets(StringBuilder code, IReadOnlyList<int> strided)
    {
        string[] offsets = [.. strided.Select(s => $"o{s}"), .. StridedOutput ? ["oo"] : Array.Empty<string>()];
        code.AppendLine($"        long long rest = i{string.Concat(offsets.Select(o => $", {o} = 0"))};");
        for (var axis = Rank - 1; axis >= 0; axis--)
        {
            code.AppendLine($"        {{ const long long c = rest % layout.shape[{axis}];");
            code.AppendLine($"          rest /= layout.shape[{axis}];");
            foreach (var (offset, j) in offsets.Select((o, j) => (o, j)))
                code.AppendLine($"          {offset} += c * layout.stride[{j}][{axis}];");
            code.AppendLine("        }");
        }
    }

    /// <summary>The Layout argument for an output shape and the element strides of each strided input (then of the
    /// output, when it is strided).</summary>
    public long[] LayoutArgument(IReadOnlyList<int> shape, IReadOnlyList<IReadOnlyList<long>> stridedInputStrides)
    {
        var (r, layout) = (Math.Max(Rank, 1), new long[LayoutLongs]);
        for (var axis = 0; axis < Rank; axis++) layout[axis] = shape[axis];
        for (var j = 0; j < stridedInputStrides.Count; j++)
        {
            for (var axis = 0; axis < Rank; axis++) layout[r * (1 + j) + axis] = stridedInputStrides[j][axis];
        }
        return layout;
    }
}
