using System.Text;
using Theon.Ops;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// How a fused kernel reads one input: at the flat index, through strides (broadcasting, views), or one value.
/// </summary>
public enum InputLayout { Contiguous, Strided, Scalar }

/// <summary>
/// A fused elementwise kernel: the loop body specialized to the output rank and to each input's layout. Strided
/// inputs take their element strides (0 on broadcast axes) from a by-value <c>Layout</c> argument, so one compiled
/// kernel serves every shape of that rank. A <see cref="Packed"/> kernel (no strided operand, every array aligned to
/// four elements) moves four elements per load and store, so that each thread keeps enough bytes in flight to reach
/// the memory's bandwidth; a scalar loop does the last few elements.
/// </summary>
public sealed record LoopKernel(LoopBody Body, int Rank, IReadOnlyList<InputLayout> Layouts,
    bool StridedOutput = false, bool Packed = false, string? Reduction = null)
{
    /// <summary>Elements per load and store of a <see cref="Packed"/> kernel.</summary>
    public const int PackWidth = 4;

    public const int MaxRank = 8;

    public IReadOnlyList<int> StridedInputs =>
        [.. Layouts.Select((l, i) => (l, i)).Where(p => p.l == InputLayout.Strided).Select(p => p.i)];

    public string Signature => $"{Body} rank{Rank} [{string.Join(",", Layouts)}]" +
        (StridedOutput ? " strided output" : "") + (Packed ? " packed" : "") +
        (Reduction is null ? "" : $" reduced by {Reduction}");

    public string Name => "theon_loop_" + KernelHash.Of(Signature)[..16];

    // Rows of strides in the Layout argument: each strided input's, then the output's when it is a strided view.
    private int StrideRows => StridedInputs.Count + (StridedOutput ? 1 : 0);

    /// <summary>The number of longs in the Layout argument: the shape, then each strided input's strides, then the
    /// output's when <see cref="StridedOutput"/> (a view, as Join writes each part into its slice).</summary>
    public int LayoutLongs => Math.Max(Rank, 1) * (1 + Math.Max(StrideRows, 1));

    public string Source()
    {
        if (Layouts.Count != Body.Inputs.Count)
            throw new ArgumentException($"{Layouts.Count} layouts for {Body.Inputs.Count} inputs.");
        if (Rank > MaxRank) throw new ArgumentException($"a fused kernel takes rank up to {MaxRank}, got {Rank}.");
        var strided = StridedInputs;
        var (r, s) = (Math.Max(Rank, 1), Math.Max(StrideRows, 1));
        var code = new StringBuilder();
        code.AppendLine(ScalarCode.Prelude);
        code.AppendLine($"struct {Name}_layout {{ long long shape[{r}]; long long stride[{s}][{r}]; }};");
        if (Reduction is not null) return ReductionSource(code);
        var parameters = new List<string> { "long long n", $"{Name}_layout layout" };
        parameters.AddRange(Body.Inputs.Select((t, i) => $"const {CudaTypes.Of(t)}* __restrict__ in{i}"));
        parameters.Add($"{CudaTypes.Of(Body.Output)}* __restrict__ out0");
        code.AppendLine($"extern \"C\" __global__ void {Name}({string.Join(", ", parameters)})");
        code.AppendLine("{");
        code.AppendLine("    const long long step = (long long)blockDim.x * gridDim.x;");
        var first = "0";
        if (Packed)
        {
            if (StrideRows > 0) throw new ArgumentException("a packed kernel reads no strided operand.");
            AppendPackedLoop(code);
            first = $"n / {PackWidth} * {PackWidth}";
        }
        code.AppendLine($"    for (long long i = {first} + blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; " +
            "i += step)");
        code.AppendLine("    {");
        if (StrideRows > 0) AppendOffsets(code, strided);
        AppendBody(code, Loads(), $"out0[{(StridedOutput ? "oo" : "i")}]", "        ");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    // Four elements a thread and a step: each contiguous input and the output as one aligned pack.
    private void AppendPackedLoop(StringBuilder code)
    {
        code.AppendLine("    for (long long p = blockIdx.x * (long long)blockDim.x + threadIdx.x; " +
            $"p < n / {PackWidth}; p += step)");
        code.AppendLine("    {");
        for (var i = 0; i < Body.Inputs.Count; i++)
        {
            if (Layouts[i] == InputLayout.Contiguous)
                code.AppendLine($"        const {Pack(Body.Inputs[i])} p{i} = " +
                    $"reinterpret_cast<const {Pack(Body.Inputs[i])}*>(in{i})[p];");
        }
        code.AppendLine($"        {Pack(Body.Output)} r;");
        code.AppendLine($"        for (int l = 0; l < {PackWidth}; ++l)");
        code.AppendLine("        {");
        var loads = Enumerable.Range(0, Body.Inputs.Count)
            .Select(i => Layouts[i] == InputLayout.Contiguous ? $"p{i}.v[l]" : $"in{i}[0]");
        AppendBody(code, [.. loads], "r.v[l]", "            ");
        code.AppendLine("        }");
        code.AppendLine($"        reinterpret_cast<{Pack(Body.Output)}*>(out0)[p] = r;");
        code.AppendLine("    }");
    }

    // Each input's element at flat index i: by layout, at i, at its strided offset, or its one value.
    private string[] Loads() => [.. Enumerable.Range(0, Body.Inputs.Count).Select(i => Layouts[i] switch
    {
        InputLayout.Contiguous => $"in{i}[i]",
        InputLayout.Scalar => $"in{i}[0]",
        _ => $"in{i}[o{i}]",
    })];

    private static string Pack(DType dtype) => $"theon_pack<{CudaTypes.Of(dtype)}>";

    /// <summary>Threads a block of a reduced loop: one block per output element, as <see cref="ReductionKernel"/>.</summary>
    public const int ReductionBlock = ReductionKernel.BlockSize;

    // The loop seen as [outer, length, inner], the middle axes reduced: one block per output element, its threads
    // computing the body at the elements they stride over and folding them in float64 (int64 for integers), then a
    // shared-memory tree; the loop's values are never stored.
    private string ReductionSource(StringBuilder code)
    {
        if (Reduction is not ("sum" or "prod") || StridedOutput || Packed)
            throw new ArgumentException($"a loop reduces by sum or prod into a contiguous output, not {Reduction}.");
        var output = CudaTypes.Of(Body.Output);
        var acc = Body.Output.IsFloat ? "double" : "long long";
        var combine = Reduction == "sum" ? "a + b" : "a * b";
        var parameters = new List<string> { "long long outer", "long long length", "long long inner",
            $"{Name}_layout layout" };
        parameters.AddRange(Body.Inputs.Select((t, i) => $"const {CudaTypes.Of(t)}* __restrict__ in{i}"));
        parameters.Add($"{output}* __restrict__ y");
        code.AppendLine($"extern \"C\" __global__ void {Name}({string.Join(", ", parameters)})");
        code.AppendLine("{");
        code.AppendLine($"    __shared__ {acc} partial[{ReductionBlock}];");
        code.AppendLine("    for (long long e = blockIdx.x; e < outer * inner; e += gridDim.x)");
        code.AppendLine("    {");
        code.AppendLine("        const long long base = (e / inner) * length * inner + e % inner;");
        code.AppendLine($"        {acc} a = {(Reduction == "sum" ? 0 : 1)};");
        code.AppendLine("        for (long long k = threadIdx.x; k < length; k += blockDim.x)");
        code.AppendLine("        {");
        code.AppendLine("        const long long i = base + k * inner;");
        if (StrideRows > 0) AppendOffsets(code, StridedInputs);
        code.AppendLine($"        {output} value;");
        AppendBody(code, Loads(), "value", "        ");
        code.AppendLine($"        const {acc} b = ({acc})value;");
        code.AppendLine($"        a = {combine};");
        code.AppendLine("        }");
        code.AppendLine("        partial[threadIdx.x] = a;");
        code.AppendLine("        __syncthreads();");
        code.AppendLine("        for (int width = blockDim.x / 2; width > 0; width /= 2)");
        code.AppendLine("        {");
        code.AppendLine($"            if (threadIdx.x < width) {{ const {acc} b = partial[threadIdx.x + width]; " +
            $"a = partial[threadIdx.x]; partial[threadIdx.x] = {combine}; }}");
        code.AppendLine("            __syncthreads();");
        code.AppendLine("        }");
        code.AppendLine($"        if (threadIdx.x == 0) y[e] = ({output})partial[0];");
        code.AppendLine("        __syncthreads();");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    private void AppendBody(StringBuilder code, IReadOnlyList<string> loads, string store, string indent)
    {
        for (var i = 0; i < Body.Inputs.Count; i++)
            code.AppendLine($"{indent}const {CudaTypes.Of(Body.Inputs[i])} v{i} = {loads[i]};");
        var temporaries = Body.Inputs.Count;
        var lines = new StringBuilder();
        var (result, type) = Emit(Body.Expression, lines, ref temporaries);
        foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            code.AppendLine(indent + line.TrimStart());
        code.AppendLine($"{indent}{store} = {CudaTypes.Convert(result, type, Body.Output)};");
    }

    // One temporary per call, converted to the body's output dtype as Composite.Perform converts it.
    private (string Value, DType Type) Emit(ScalarExpr e, StringBuilder code, ref int temporaries)
    {
        switch (e)
        {
            case ScalarExpr.Input input:
                return ($"v{input.Index}", Body.Inputs[input.Index]);
            case ScalarExpr.Literal literal:
                return (CudaTypes.Literal(NDArray.Scalar(literal.Value, literal.DType)), literal.DType);
            case ScalarExpr.Call call:
                var args = new List<(string Value, DType Type)>();
                foreach (var arg in call.Args) args.Add(Emit(arg, code, ref temporaries));
                DType[] types = [.. args.Select(a => a.Type)];
                var expression = ScalarCode.Expression(call.Op, [.. args.Select(a => a.Value)], types);
                var value = $"v{temporaries++}";
                code.AppendLine($"        const {CudaTypes.Of(Body.Output)} {value} = " +
                    $"{CudaTypes.Convert(expression, call.Op.OutputDType(types), Body.Output)};");
                return (value, Body.Output);
            default:
                throw new NotSupportedException($"no CUDA code for the scalar expression {e}.");
        }
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
