using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Native;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Launches the generated kernels on device arrays. Results are fresh contiguous arrays owned by the caller.
/// </summary>
public sealed unsafe class DeviceKernels(CudaDevice device)
{
    public CudaDevice Device => device;

    /// <summary>
    /// Runs a fused scalar graph over inputs already broadcast-compatible with <paramref name="shape"/>.
    /// </summary>
    public DeviceArray[] Elementwise(ScalarGraph graph, IReadOnlyList<DeviceArray> inputs, int[] shape)
    {
        var layouts = inputs.Select(a => LayoutOf(a, shape)).ToArray();
        var kernel = new ElementwiseKernel(graph, shape.Length, layouts);
        var outputs = graph.OutputTypes.Select(t => DeviceArray.Allocate(device, t, shape)).ToArray();
        var n = shape.Aggregate(1L, (a, b) => a * b);
        if (n == 0) return outputs;
        var strides = kernel.StridedInputs.Select(i => (IReadOnlyList<long>)
            [.. inputs[i].Strides.Select((s, axis) => inputs[i].Shape[axis] == 1 ? 0 : s)]).ToArray();
        using var arguments = new KernelArguments().Long(n).Struct(kernel.LayoutArgument(shape, strides));
        foreach (var input in inputs) arguments.Pointer(input.Pointer);
        foreach (var output in outputs) arguments.Pointer(output.Pointer);
        device.Launch(device.Function(kernel.Source(), kernel.Name), n, arguments);
        return outputs;
    }

    private static InputLayout LayoutOf(DeviceArray a, int[] shape) =>
        a.Size == 1 ? InputLayout.Scalar
        : a.IsContiguous && a.Shape.SequenceEqual(shape) ? InputLayout.Contiguous
        : InputLayout.Strided;

    /// <summary>A contiguous copy (or the array itself when it already is one).</summary>
    public DeviceArray Contiguous(DeviceArray a, List<DeviceMemory> temporaries)
    {
        if (a.IsContiguous) return a;
        var copy = Elementwise(new ScalarGraph([a.DType], [], [0]), [a], a.Shape)[0];
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
        var y = DeviceArray.Allocate(device, kernel.Output, [.. x.Shape.Where((_, a) => a != axis)]);
        if (outer * inner == 0) return y;
        using var arguments = new KernelArguments()
            .Pointer(x.Pointer).Pointer(y.Pointer).Long(outer).Long(length).Long(inner);
        var blocks = (uint)Math.Min(outer * inner, device.Multiprocessors * 64L);
        device.LaunchBlocks(device.Function(kernel.Source(), kernel.Name), blocks, ReductionKernel.BlockSize,
            arguments);
        return y;
    }

    /// <summary>softmax or log-softmax of each row of a contiguous matrix (a vector is one row).</summary>
    public DeviceArray Softmax(DeviceArray x, bool log)
    {
        var kernels = new SoftmaxKernels(x.DType);
        var (rows, columns) = RowsColumns(x);
        var y = DeviceArray.Allocate(device, x.DType, x.Shape);
        if (rows * columns == 0) return y;
        using var arguments = new KernelArguments().Pointer(x.Pointer).Pointer(y.Pointer).Long(rows).Long(columns);
        var name = log ? kernels.LogSoftmaxName : kernels.SoftmaxName;
        device.LaunchBlocks(device.Function(kernels.Source(), name), RowBlocks(rows), SoftmaxKernels.BlockSize,
            arguments);
        return y;
    }

    /// <summary>The negative log-likelihood of each row's label under softmax(x), and softmax(x) itself.</summary>
    public (DeviceArray Nll, DeviceArray Softmax) SoftmaxCrossEntropy(DeviceArray x, DeviceArray labels,
        ErrorFlag error)
    {
        var kernels = new SoftmaxKernels(x.DType);
        var (rows, columns) = RowsColumns(x);
        if (labels.Size != rows || labels.DType != DType.Int64)
            throw new ArgumentException($"softmax cross-entropy takes one int64 label per row: {rows} rows, labels " +
                $"{labels}.");
        var nll = DeviceArray.Allocate(device, x.DType, [(int)rows]);
        var sm = DeviceArray.Allocate(device, x.DType, x.Shape);
        using var arguments = new KernelArguments().Pointer(x.Pointer).Pointer(labels.Pointer).Pointer(nll.Pointer)
            .Pointer(sm.Pointer).Long(rows).Long(columns).Pointer(error.Pointer);
        device.LaunchBlocks(device.Function(kernels.Source(), kernels.CrossEntropyName), RowBlocks(rows),
            SoftmaxKernels.BlockSize, arguments);
        return (nll, sm);
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
        var y = DeviceArray.Allocate(device, x.DType, [.. indexShape, .. x.Shape.Skip(indices.Count)]);
        if (positions * block == 0) return y;
        using var arguments = new KernelArguments().Pointer(x.Pointer);
        foreach (var index in indices) arguments.Pointer(index.Pointer);
        arguments.Pointer(y.Pointer).Long(positions).Long(block)
            .Struct([.. x.Shape.Take(indices.Count).Select(d => (long)d)]).Pointer(error.Pointer);
        device.Launch(device.Function(kernels.Source(), kernels.GatherName), positions * block, arguments);
        return y;
    }

    /// <summary>
    /// Adds <paramref name="values"/> (contiguous, [positions, trailing...]) into y at the indexed positions, in place.
    /// </summary>
    public void ScatterAdd(DeviceArray y, IReadOnlyList<DeviceArray> indices, DeviceArray values, ErrorFlag error)
    {
        var kernels = new IndexingKernels(y.DType, indices.Count);
        var block = y.Shape.Skip(indices.Count).Aggregate(1L, (a, b) => a * b);
        var positions = indices[0].Size;
        if (positions * block == 0) return;
        using var arguments = new KernelArguments().Pointer(y.Pointer);
        foreach (var index in indices) arguments.Pointer(index.Pointer);
        arguments.Pointer(values.Pointer).Long(positions).Long(block)
            .Struct([.. y.Shape.Take(indices.Count).Select(d => (long)d)]).Pointer(error.Pointer);
        device.Launch(device.Function(kernels.Source(), kernels.ScatterAddName), positions * block, arguments);
    }

    /// <summary>
    /// C = A·B for contiguous row-major float matrices through cuBLAS (column-major): C^T = B^T·A^T, so cuBLAS
    /// is asked for B·A with the dimensions swapped and no transposes.
    /// </summary>
    public DeviceArray Gemm(DeviceArray a, DeviceArray b)
    {
        var (m, k, n) = (a.Shape[0], a.Shape[1], b.Shape[1]);
        if (b.Shape[0] != k)
            throw new ArgumentException($"dot: shapes {NDArray.ShapeString(a.Shape)} and " +
                $"{NDArray.ShapeString(b.Shape)} are not aligned.");
        var c = DeviceArray.Allocate(device, a.DType, [m, n]);
        if (m * n == 0) return c;
        if (k == 0) device.Zero(c.Pointer, c.Size * c.DType.ItemSize);
        else GemmInto(a, b, c);
        return c;
    }

    /// <summary>The cuBLAS call alone, into an existing contiguous C of shape [m, n].</summary>
    public void GemmInto(DeviceArray a, DeviceArray b, DeviceArray c)
    {
        var (m, k, n) = (a.Shape[0], a.Shape[1], b.Shape[1]);
        var (api, handle) = (Cublas.Api, device.CublasHandle);
        device.MakeCurrent();
        if (a.DType == DType.Float32)
        {
            float one = 1, zero = 0;
            Cublas.Check(api.cublasSgemm(handle, Cublas.NoTranspose, Cublas.NoTranspose, n, m, k, &one, b.Pointer, n,
                a.Pointer, k, &zero, c.Pointer, n), "cublasSgemm");
        }
        else if (a.DType == DType.Float64)
        {
            double one = 1, zero = 0;
            Cublas.Check(api.cublasDgemm(handle, Cublas.NoTranspose, Cublas.NoTranspose, n, m, k, &one, b.Pointer, n,
                a.Pointer, k, &zero, c.Pointer, n), "cublasDgemm");
        }
        else throw new ArgumentException($"cuBLAS GEMM takes float32 or float64, got {a.DType}.");
    }
}

/// <summary>
/// One device int64 that kernels set (to position + 1) when they meet a bad index; read once after a call, so that
/// a bad label or index becomes an error on the host rather than an out-of-bounds access on the device.
/// </summary>
public sealed unsafe class ErrorFlag(CudaDevice device) : IDisposable
{
    private readonly DeviceMemory memory = device.Allocate(8);

    public ulong Pointer => memory.Pointer;

    public void Reset() => device.Zero(memory.Pointer, 8);

    /// <summary>0 when no kernel flagged an error, else the first flagged position + 1.</summary>
    public long Read()
    {
        long value;
        device.CopyToHost(&value, memory.Pointer, 8);
        device.Synchronize();
        return value;
    }

    public void Dispose() => memory.Dispose();
}
