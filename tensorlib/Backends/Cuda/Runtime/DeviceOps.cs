using Theon.Backends.Cpu.Fusion;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// What a node handler works with during one call: the kernels, host transfers, and the call's temporaries.
/// </summary>
public sealed class CallContext(DeviceKernels kernels, Transfers transfers, ErrorFlag error)
{
    public DeviceKernels Kernels { get; } = kernels;
    public Transfers Transfers { get; } = transfers;
    public ErrorFlag Error { get; } = error;

    /// <summary>
    /// Every allocation made during the call; freed at its end unless adopted (a shared variable's new value).
    /// </summary>
    public List<DeviceMemory> Allocations { get; } = [];

    public DeviceArray Track(DeviceArray a)
    {
        Allocations.Add(a.Memory);
        return a;
    }

    public DeviceArray Contiguous(DeviceArray a) => Kernels.Contiguous(a, Allocations);
}

/// <summary>
/// The device implementation of each op, keyed by op type (PyTensor's funcify registry). An op without an entry runs
/// its reference <see cref="Op.Perform"/> on the host, its inputs copied down and its outputs copied up, so every graph
/// runs; the entries are the ops that matter for speed.
/// </summary>
public static class DeviceOps
{
    public delegate DeviceArray[] Handler(Apply node, DeviceArray[] inputs, CallContext context);

    private static readonly Dictionary<Type, Handler> Handlers = new()
    {
        // The shape is known on the host; only the small int64 vector goes up.
        [typeof(Shape)] = (node, x, c) =>
            [c.Track(c.Transfers.Upload(NDArray.FromArray(x[0].Shape.Select(d => (long)d).ToArray())))],
        [typeof(DimShuffle)] = (node, x, _) => [DimShuffleView((DimShuffle)node.op, x[0])],
        [typeof(Reduce)] = (node, x, c) => [Reduce((Reduce)node.op, x[0], c)],
        [typeof(Argmax)] = (node, x, c) => [Argmax(((Argmax)node.op).Axis, x[0], c)],
        [typeof(Softmax)] = (node, x, c) => [c.Track(c.Kernels.Softmax(c.Contiguous(x[0]), log: false))],
        [typeof(LogSoftmax)] = (node, x, c) => [c.Track(c.Kernels.Softmax(c.Contiguous(x[0]), log: true))],
        [typeof(Dot)] = DotProduct,
        [typeof(Elemwise)] = (node, x, c) =>
            [c.Track(c.Kernels.Elementwise(Codegen.ScalarGraph.FromElemwise([node], [node.outputs[0]]).Graph, x,
                ElementwiseShape(node, node.inputs, x))[0])],
        [typeof(Composite)] = (node, x, c) =>
            [c.Track(c.Kernels.Elementwise(CompositeGraphs.Of((Composite)node.op, x.Length), x, ElementwiseShape(node,
                node.inputs, x))[0])],
        [typeof(IfElse)] = (node, x, c) => [x[IfElse.Branch(c.Transfers.Download(c.Contiguous(x[0])))]],
        [typeof(AdvancedSubtensor)] = (node, x, c) => [Gather(x[0], x[1..], c)],
        [typeof(AdvancedIncSubtensor)] = (node, x, c) => [ScatterAdd(x[0], x[1], x[2..], c)],
    };

    public static bool HasDeviceCode(Op op) => Handlers.ContainsKey(op.GetType());

    public static DeviceArray[] Run(Apply node, DeviceArray[] inputs, CallContext context) =>
        Handlers.TryGetValue(node.op.GetType(), out var handler) && Applicable(node)
            ? handler(node, inputs, context)
            : OnHost(node, inputs, context);

    // cuBLAS and the indexing kernels cover float and 32/64-bit types; other dtypes take the host path.
    private static bool Applicable(Apply node) => node.op switch
    {
        Dot => node.inputs.All(v => v.type.dtype == node.outputs[0].type.dtype && v.type.dtype.IsFloat),
        AdvancedSubtensor or AdvancedIncSubtensor => node.outputs[0].type.dtype.ItemSize >= 4
            && !node.outputs[0].type.dtype.IsBool
            && node.inputs.Count - (node.op is AdvancedSubtensor ? 1 : 2) <= Codegen.IndexingKernels.MaxIndexArrays,
        Elemwise { Scalar: var scalar } => Codegen.ScalarCode.Supports(scalar),
        _ => true,
    };

    /// <summary>
    /// The output shape of an elementwise node or fused group from its (equal-rank) inputs: non-broadcastable axes
    /// must agree exactly, as Elemwise checks on the CPU.
    /// </summary>
    public static int[] ElementwiseShape(Apply first, IReadOnlyList<Variable> variables,
        IReadOnlyList<DeviceArray> arrays)
    {
        var ndim = first.outputs[0].ndim;
        var shape = new int[ndim];
        for (var axis = 0; axis < ndim; axis++)
        {
            int? length = null;
            for (var i = 0; i < arrays.Count; i++)
            {
                if (variables[i].type.broadcastable[axis]) continue;
                var n = arrays[i].Shape[axis];
                if (length is null) length = n;
                else if (n != length)
                    throw new ArgumentException($"{first.op}: input shapes do not match on axis {axis}: "
                        + string.Join(" and ",
                        arrays.Select((a, j) => $"{InputNames.Describe(variables[j])} of shape " +
                            $"{NDArray.ShapeString(a.Shape)}")) + ".");
            }
            shape[axis] = length ?? 1;
        }
        return shape;
    }

    public static DeviceArray[] OnHost(Apply node, DeviceArray[] inputs, CallContext context)
    {
        var host = inputs.Select(a => context.Transfers.Download(context.Contiguous(a))).ToArray();
        return [.. node.op.Perform(node, host).Select(r => context.Track(context.Transfers.Upload(r)))];
    }

    private static DeviceArray DimShuffleView(DimShuffle op, DeviceArray x)
    {
        var order = op.NewOrder.ToArray();
        var shape = order.Select(a => a < 0 ? 1 : x.Shape[a]).ToArray();
        var strides = order.Select(a => a < 0 ? 0 : x.Strides[a]).ToArray();
        return x.View(shape, strides, x.Offset);
    }

    private static DeviceArray Reduce(Reduce op, DeviceArray x, CallContext c)
    {
        var current = c.Contiguous(x);
        if (op.Axes is null) return c.Track(c.Kernels.Reduce(op.Kind, current.Reshaped([(int)current.Size]), 0));
        foreach (var axis in op.Axes.OrderDescending()) current = c.Track(c.Kernels.Reduce(op.Kind, current, axis));
        return current;
    }

    private static DeviceArray Argmax(int? axis, DeviceArray x, CallContext c)
    {
        var contiguous = c.Contiguous(x);
        return axis is { } a
            ? c.Track(c.Kernels.Reduce("argmax", contiguous, a))
            : c.Track(c.Kernels.Reduce("argmax", contiguous.Reshaped([(int)contiguous.Size]), 0));
    }

    // Vectors become one-row or one-column matrices for GEMM; the result is viewed back at the node's rank.
    private static DeviceArray[] DotProduct(Apply node, DeviceArray[] inputs, CallContext c)
    {
        var (a, b) = (c.Contiguous(inputs[0]), c.Contiguous(inputs[1]));
        var left = a.Ndim == 1 ? a.Reshaped([1, a.Shape[0]]) : a;
        var right = b.Ndim == 1 ? b.Reshaped([b.Shape[0], 1]) : b;
        if (left.Shape[1] != right.Shape[0])
            throw new ArgumentException(
                $"dot: shapes {NDArray.ShapeString(a.Shape)} and {NDArray.ShapeString(b.Shape)} are not aligned.");
        var product = c.Track(c.Kernels.Gemm(left, right));
        int[] shape = [.. a.Shape.Take(a.Ndim - 1), .. b.Shape.Skip(1)];
        return [product.Reshaped(shape)];
    }

    private static DeviceArray[] Int64Indices(DeviceArray[] indices, CallContext c, out int[] indexShape)
    {
        var ndim = indices.Max(i => i.Ndim);
        var shape = new int[ndim];
        for (var axis = 0; axis < ndim; axis++)
            shape[axis] = indices.Select(i => axis - (ndim - i.Ndim) is var k && k >= 0 ? i.Shape[k] : 1).Max();
        indexShape = shape;
        return [.. indices.Select(i => c.Track(c.Kernels.Elementwise(
            new Codegen.ScalarGraph([i.DType], [new Codegen.ScalarNode(new Cast(DType.Int64), [0])], [1]),
            [Broadcast(i, shape)], shape)[0]))];
    }

    private static DeviceArray Broadcast(DeviceArray a, int[] shape)
    {
        var pad = shape.Length - a.Ndim;
        var strides = shape.Select((d, axis) => axis < pad || a.Shape[axis - pad] == 1 ? 0
            : a.Strides[axis - pad]).ToArray();
        if (shape.Where((d, axis) => axis >= pad && a.Shape[axis - pad] != 1 && a.Shape[axis - pad] != d).Any())
            throw new ArgumentException($"shape {NDArray.ShapeString(a.Shape)} does not broadcast to " +
                $"{NDArray.ShapeString(shape)}.");
        return a.View(shape, strides, a.Offset);
    }

    private static DeviceArray Gather(DeviceArray x, DeviceArray[] indices, CallContext c)
    {
        var index = Int64Indices(indices, c, out var indexShape);
        return c.Track(c.Kernels.Gather(c.Contiguous(x), index, indexShape, c.Error));
    }

    private static DeviceArray ScatterAdd(DeviceArray x, DeviceArray y, DeviceArray[] indices, CallContext c)
    {
        var index = Int64Indices(indices, c, out var indexShape);
        var result = c.Track(DeviceArray.Allocate(c.Kernels.Device, x.DType, x.Shape));
        var source = c.Contiguous(x);
        c.Kernels.Device.CopyOnDevice(result.Pointer, source.Pointer, x.Size * x.DType.ItemSize);
        int[] selected = [.. indexShape, .. x.Shape.Skip(indices.Length)];
        var values = c.Track(c.Kernels.Elementwise(
            new Codegen.ScalarGraph([y.DType], [new Codegen.ScalarNode(new Cast(x.DType), [0])], [1]),
            [Broadcast(y, selected)], selected)[0]);
        c.Kernels.ScatterAdd(result, index, values, c.Error);
        return result;
    }
}
