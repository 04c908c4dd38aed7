using Theon.Backends.Cuda.Codegen;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Launches the generated kernels on device arrays. Results are fresh contiguous arrays owned by the caller. Each
/// kernel's source is generated, compiled and loaded once: later launches find it by the kernel's description.
/// </summary>
public sealed partial class KernelLauncher(Device device)
{
    private readonly Dictionary<(object Kernel, string Name), nint> loaded = [];

    public Device Device => device;

    private nint Load(object kernel, string name, Func<string> source)
    {
        lock (loaded)
        {
            if (loaded.TryGetValue((kernel, name), out var handle)) return handle;
            return loaded[(kernel, name)] = device.Kernel(source(), name);
        }
    }

    /// <summary>Runs a loop body over inputs already broadcast-compatible with <paramref name="shape"/>.</summary>
    public DeviceArray Loop(LoopBody body, IReadOnlyList<DeviceArray> inputs, int[] shape)
    {
        var output = DeviceArray.Temporary(device, body.Output, shape);
        LoopInto(body, inputs, shape, output);
        return output;
    }

    /// <summary>
    /// Runs a loop body into an existing output of <paramref name="shape"/>: a contiguous array, or a view (a part
    /// of a joined array).
    /// </summary>
    public void LoopInto(LoopBody body, IReadOnlyList<DeviceArray> inputs, int[] shape, DeviceArray output)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        if (n == 0) return;
        var layouts = new InputLayout[inputs.Count];
        var stridedOutput = !output.IsContiguous;
        var packed = !stridedOutput && Aligned(output);
        var code = (ulong)shape.Length * 4 + (stridedOutput ? 1UL : 0);
        for (var i = 0; i < inputs.Count; i++)
        {
            layouts[i] = LayoutOf(inputs[i], shape);
            packed &= layouts[i] == InputLayout.Scalar || (layouts[i] == InputLayout.Contiguous && Aligned(inputs[i]));
            code = code * 3 + (ulong)layouts[i];
        }
        code = code * 2 + (packed ? 1UL : 0);
        var kernel = new LoopKernel(body, shape.Length, layouts, stridedOutput, packed);
        var handle = Load((body, code), kernel.Name, kernel.Source);
        IEnumerable<DeviceArray> strided = [.. kernel.StridedInputs.Select(i => inputs[i]),
            .. stridedOutput ? [output] : Array.Empty<DeviceArray>()];
        var strides = strided.Select(a => (IReadOnlyList<long>)
            [.. a.Strides.Select((s, axis) => a.Shape[axis] == 1 ? 0 : s)]).ToArray();
        using var arguments = new KernelArguments().Long(n).Struct(kernel.LayoutArgument(shape, strides));
        foreach (var input in inputs) arguments.Pointer(input.Pointer);
        arguments.Pointer(output.Pointer);
        device.Launch(handle, packed ? (n + LoopKernel.PackWidth - 1) / LoopKernel.PackWidth : n,
            arguments);
    }

    /// <summary>
    /// Sums or multiplies a loop body's values over axes [<paramref name="first"/>, <paramref name="end"/>) of
    /// <paramref name="shape"/> in one kernel, without storing them; the reduced axes are removed.
    /// </summary>
    public DeviceArray LoopReduce(LoopBody body, IReadOnlyList<DeviceArray> inputs, int[] shape, string kind,
        int first, int end)
    {
        long Product(IEnumerable<int> dims) => dims.Aggregate(1L, (a, b) => a * b);
        var (outer, length, inner) = (Product(shape[..first]), Product(shape[first..end]), Product(shape[end..]));
        var y = DeviceArray.Temporary(device, body.Output, [.. shape[..first], .. shape[end..]]);
        if (outer * inner == 0) return y;
        var layouts = inputs.Select(a => LayoutOf(a, shape)).ToArray();
        var code = layouts.Aggregate((ulong)shape.Length * 4 + (kind == "sum" ? 1UL : 2UL),
            (c, l) => c * 3 + (ulong)l);
        var kernel = new LoopKernel(body, shape.Length, layouts, Reduction: kind);
        var handle = Load((body, code), kernel.Name, kernel.Source);
        var strides = kernel.StridedInputs.Select(i => (IReadOnlyList<long>)
            [.. inputs[i].Strides.Select((s, axis) => inputs[i].Shape[axis] == 1 ? 0 : s)]).ToArray();
        using var arguments = new KernelArguments().Long(outer).Long(length).Long(inner)
            .Struct(kernel.LayoutArgument(shape, strides));
        foreach (var input in inputs) arguments.Pointer(input.Pointer);
        arguments.Pointer(y.Pointer);
        device.LaunchBlocks(handle, (uint)Math.Min(outer * inner, device.Multiprocessors * 64L),
            LoopKernel.ReductionBlock, arguments);
        return y;
    }

    // A pack of four elements loads as one aligned vector.
    private static bool Aligned(DeviceArray a) =>
        a.Pointer % (ulong)(LoopKernel.PackWidth * a.DType.ItemSize) == 0;

    private static InputLayout LayoutOf(DeviceArray a, int[] shape) =>
        a.Size == 1 ? InputLayout.Scalar
        : a.IsContiguous && a.Shape.SequenceEqual(shape) ? InputLayout.Contiguous
        : InputLayout.Strided;

    /// <summary>A contiguous copy (or the array itself when it already is one).</summary>
    public DeviceArray Contiguous(DeviceArray a, List<DeviceMemory> temporaries)
    {
        if (a.IsContiguous) return a;
        var copy = Loop(LoopBody.Convert(a.DType, a.DType), [a], a.Shape);
        temporaries.Add(copy.Memory);
        return copy;
    }

    /// <summary><paramref name="a"/> converted to <paramref name="dtype"/> (the array itself when it has it).</summary>
    public DeviceArray Cast(DeviceArray a, DType dtype, List<DeviceMemory> temporaries)
    {
        if (a.DType == dtype) return a;
        var copy = Loop(LoopBody.Convert(a.DType, dtype), [a], a.Shape);
        temporaries.Add(copy.Memory);
        return copy;
    }

    /// <summary>sum, prod, max, min or argmax along one axis of a contiguous array; the axis is removed.</summary>
    public DeviceArray Reduce(string kind, DeviceArray x, int axis)
    {
        var kernel = new ReductionKernel(kind, x.DType);
        var length = x.Shape[axis];
        if (length == 0 && kind is "max" or "min" or "argmax")
            throw new ArgumentException($"{kind} of an empty axis: axis {axis} of an array of shape " +
                $"{NDArray.ShapeString(x.Shape)}.");
        var outer = x.Shape.Take(axis).Aggregate(1L, (a, b) => a * b);
        var inner = x.Shape.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var y = DeviceArray.Temporary(device, kernel.Output, [.. x.Shape.Where((_, a) => a != axis)]);
        if (outer * inner == 0) return y;
        using var arguments = new KernelArguments()
            .Pointer(x.Pointer).Pointer(y.Pointer).Long(outer).Long(length).Long(inner);
        var blocks = (uint)Math.Min(outer * inner, device.Multiprocessors * 64L);
        device.LaunchBlocks(Load(kernel, kernel.Name, kernel.Source), blocks, ReductionKernel.BlockSize, arguments);
        return y;
    }

    /// <summary>softmax or log-softmax of each row of a contiguous matrix (a vector is one row).</summary>
    /// <summary>Kernel <paramref name="name"/> of <see cref="PhiloxKernels"/>: the draw of
    /// <paramref name="output"/> from <paramref name="state"/>, the next state into <paramref name="next"/>.</summary>
    public void Philox(string name, DeviceArray state, DeviceArray next, DeviceArray output, params double[] parameters)
    {
        using var arguments = new KernelArguments().Pointer(state.Pointer).Pointer(next.Pointer).Pointer(output.Pointer)
            .Long(output.Size);
        foreach (var p in parameters) arguments.Long(BitConverter.DoubleToInt64Bits(p));
        var blocks = (output.Size + 3) / 4;
        device.Launch(Load(PhiloxSource, name, PhiloxSource.Source), Math.Max(blocks, 1), arguments);
    }

    private static readonly PhiloxKernels PhiloxSource = new();

    public DeviceArray Softmax(DeviceArray x, bool log)
    {
        var kernels = new SoftmaxKernels(x.DType);
        var (rows, columns) = RowsColumns(x);
        var y = DeviceArray.Temporary(device, x.DType, x.Shape);
        if (rows * columns == 0) return y;
        using var arguments = new KernelArguments().Pointer(x.Pointer).Pointer(y.Pointer).Long(rows).Long(columns);
        var name = log ? kernels.LogSoftmaxName : kernels.SoftmaxName;
        device.LaunchBlocks(Load(kernels, name, kernels.Source), RowBlocks(rows), SoftmaxKernels.BlockSize,
            arguments);
        return y;
    }

    /// <summary>
    /// The negative log-likelihood of each row's label under softmax(x) (contiguous x, int64 labels), and softmax(x)
    /// itself.
    /// </summary>
    public (DeviceArray Nll, DeviceArray Softmax) SoftmaxCrossEntropy(DeviceArray x, DeviceArray labels,
        ErrorFlag error)
    {
        var kernels = new SoftmaxKernels(x.DType);
        var (rows, columns) = RowsColumns(x);
        var nll = DeviceArray.Temporary(device, x.DType, [(int)rows]);
        var sm = DeviceArray.Temporary(device, x.DType, x.Shape);
        if (rows * columns == 0) return (nll, sm);
        using var arguments = new KernelArguments().Pointer(x.Pointer).Pointer(labels.Pointer).Pointer(nll.Pointer)
            .Pointer(sm.Pointer).Long(rows).Long(columns).Pointer(error.Pointer);
        device.LaunchBlocks(Load(kernels, kernels.CrossEntropyName, kernels.Source), RowBlocks(rows),
            SoftmaxKernels.BlockSize, arguments);
        return (nll, sm);
    }

    /// <summary><c>dnll[:, None] * (sm - onehot(labels))</c> for contiguous operands and int64 labels.</summary>
    public DeviceArray SoftmaxCrossEntropyGrad(DeviceArray dnll, DeviceArray sm, DeviceArray labels)
    {
        var kernels = new SoftmaxKernels(sm.DType);
        var (rows, columns) = RowsColumns(sm);
        var dx = DeviceArray.Temporary(device, sm.DType, sm.Shape);
        if (rows * columns == 0) return dx;
        using var arguments = new KernelArguments().Pointer(dnll.Pointer).Pointer(sm.Pointer)
            .Pointer(labels.Pointer).Pointer(dx.Pointer).Long(rows).Long(columns);
        device.Launch(Load(kernels, kernels.CrossEntropyGradName, kernels.Source), rows * columns, arguments);
        return dx;
    }

    private static (long Rows, long Columns) RowsColumns(DeviceArray x) => x.Ndim switch
    {
        1 => (1, x.Shape[0]),
        2 => (x.Shape[0], x.Shape[1]),
        _ => throw new ArgumentException($"softmax takes a vector or a matrix, got a device array of shape " +
            $"{NDArray.ShapeString(x.Shape)}."),
    };

    private uint RowBlocks(long rows) => (uint)Math.Clamp(rows, 1, device.Multiprocessors * 64L);

    /// <summary>
    /// <c>x[i0, i1, ...]</c> for index arrays (int64, contiguous, equal length) on the leading axes of contiguous x.
    /// </summary>
    public DeviceArray Gather(DeviceArray x, IReadOnlyList<DeviceArray> indices, int[] indexShape, ErrorFlag error)
    {
        var kernels = new IndexingKernels(x.DType, indices.Count);
        var block = x.Shape.Skip(indices.Count).Aggregate(1L, (a, b) => a * b);
        var positions = indexShape.Aggregate(1L, (a, b) => a * b);
        var y = DeviceArray.Temporary(device, x.DType, [.. indexShape, .. x.Shape.Skip(indices.Count)]);
        if (positions * block == 0) return y;
        using var arguments = new KernelArguments().Pointer(x.Pointer);
        foreach (var index in indices) arguments.Pointer(index.Pointer);
        arguments.Pointer(y.Pointer).Long(positions).Long(block)
            .Struct([.. x.Shape.Take(indices.Count).Select(d => (long)d)]).Pointer(error.Pointer);
        device.Launch(Load(kernels, kernels.GatherName, kernels.Source), positions * block, arguments);
        return y;
    }

    /// <summary>
    /// Adds <paramref name="values"/> (contiguous, [positions, trailing...]) into y at the indexed positions, in place.
    /// </summary>
    public void ScatterAdd(DeviceArray y, IReadOnlyList<DeviceArray> indices, DeviceArray values, ErrorFlag error)
    {
        var (kernels, positions, block, layout) = IndexedWrite(y, indices);
        if (positions * block == 0) return;
        using var arguments = new KernelArguments().Pointer(y.Pointer);
        foreach (var index in indices) arguments.Pointer(index.Pointer);
        arguments.Pointer(values.Pointer).Long(positions).Long(block).Struct(layout).Pointer(error.Pointer);
        device.Launch(Load(kernels, kernels.ScatterAddName, kernels.Source), positions * block, arguments);
    }

    // The kernels, the positions written, the elements each writes and the indexed axes' lengths.
    private static (IndexingKernels Kernels, long Positions, long Block, long[] Layout) IndexedWrite(DeviceArray y,
        IReadOnlyList<DeviceArray> indices) =>
        (new IndexingKernels(y.DType, indices.Count), indices[0].Size,
            y.Shape.Skip(indices.Count).Aggregate(1L, (a, b) => a * b), [.. y.Shape.Take(indices.Count).Select(d => (long)d)]);

    /// <summary>
    /// Sets y at the indexed positions to <paramref name="values"/> (contiguous, [positions, trailing...]), in place;
    /// of repeated indices the last wins. <paramref name="claims"/>: int64 scratch, one per indexed row of y.
    /// </summary>
    public void ScatterSet(DeviceArray y, IReadOnlyList<DeviceArray> indices, DeviceArray values, DeviceArray claims,
        ErrorFlag error)
    {
        var (kernels, positions, block, layout) = IndexedWrite(y, indices);
        if (positions * block == 0) return;
        device.Zero(claims.Pointer, claims.Size * sizeof(long));
        using (var claim = new KernelArguments().Pointer(claims.Pointer))
        {
            foreach (var index in indices) claim.Pointer(index.Pointer);
            claim.Long(positions).Struct(layout).Pointer(error.Pointer);
            device.Launch(Load(kernels, kernels.ScatterClaimName, kernels.Source), positions, claim);
        }
        using var arguments = new KernelArguments().Pointer(y.Pointer);
        foreach (var index in indices) arguments.Pointer(index.Pointer);
        arguments.Pointer(values.Pointer).Pointer(claims.Pointer).Long(positions).Long(block).Struct(layout)
            .Pointer(error.Pointer);
        device.Launch(Load(kernels, kernels.ScatterSetName, kernels.Source), positions * block, arguments);
    }

    /// <summary>The int64 scratch <see cref="ScatterSet"/> needs for <paramref name="y"/> indexed on its first
    /// <paramref name="indexArrays"/> axes.</summary>
    public static int[] ClaimsShape(DeviceArray y, int indexArrays) =>
        [y.Shape.Take(indexArrays).Aggregate(1, (a, b) => a * b)];

    /// <summary>
    /// C = A·B for float matrices stored row by row or as transposed views (a flag to GEMM, not a copy); other
    /// layouts are copied contiguous first.
    /// </summary>
    public DeviceArray Gemm(DeviceArray a, DeviceArray b, List<DeviceMemory> temporaries)
    {
        var (m, k, n) = (a.Shape[0], a.Shape[1], b.Shape[1]);
        if (b.Shape[0] != k)
            throw new ArgumentException($"dot: shapes {NDArray.ShapeString(a.Shape)} and " +
                $"{NDArray.ShapeString(b.Shape)} are not aligned.");
        var c = DeviceArray.Temporary(device, a.DType, [m, n]);
        if (m * n == 0) return c;
        if (k == 0) device.Zero(c.Pointer, c.Size * c.DType.ItemSize);
        else GemmInto(a, b, c, temporaries);
        return c;
    }

    /// <summary>The GEMM call alone, into an existing contiguous C of shape [m, n].</summary>
    public void GemmInto(DeviceArray a, DeviceArray b, DeviceArray c, List<DeviceMemory>? temporaries = null)
    {
        (a, var la) = Operand(a, temporaries);
        (b, var lb) = Operand(b, temporaries);
        device.Gemm(a.DType, la.Transposed, lb.Transposed, a.Shape[0], b.Shape[1], a.Shape[1], a.Pointer, la.Leading,
            b.Pointer, lb.Leading, c.Pointer);
    }

    private (DeviceArray, (bool Transposed, int Leading)) Operand(DeviceArray x, List<DeviceMemory>? temporaries)
    {
        if (x.MatrixLayout() is { } layout) return (x, layout);
        var copy = Contiguous(x, temporaries ?? throw new ArgumentException("GEMM operands must be matrices with " +
            "unit steps."));
        return (copy, copy.MatrixLayout()!.Value);
    }
}

/// <summary>
/// One device int64 that kernels set (to position + 1) when they meet a bad index; read once after a call, so that
/// a bad label or index becomes an error on the host rather than an out-of-bounds access on the device.
/// </summary>
public sealed class ErrorFlag(Device device) : IDisposable
{
    private readonly DeviceMemory memory = device.Allocate(8);

    public ulong Pointer => memory.Pointer;

    public void Reset() => device.Zero(memory.Pointer, 8);

    public DeviceArray Array => new(memory, DType.Int64, [], []);

    public void Dispose() => memory.Dispose();
}
