using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>What a node handler works with during one call: the kernels, the error flag and the call's
/// temporaries.</summary>
public sealed class CallContext(KernelLauncher launcher, ErrorFlag error,
    Func<Variable, DeviceArray?>? destinations = null)
{
    public KernelLauncher Launcher { get; } = launcher;
    public ErrorFlag Error { get; } = error;

    /// <summary>Every allocation made during the call; freed at its end unless adopted (a shared variable's new
    /// value).</summary>
    public List<DeviceMemory> Allocations { get; } = [];

    public DeviceArray Track(DeviceArray a)
    {
        Allocations.Add(a.Memory);
        return a;
    }

    public DeviceArray Contiguous(DeviceArray a) => Launcher.Contiguous(a, Allocations);

    /// <summary>
    /// Where node output <paramref name="v"/> of <paramref name="shape"/> goes: the buffer its function keeps for it
    /// (an update's next value), else a new temporary.
    /// </summary>
    public DeviceArray Output(Variable v, DType dtype, int[] shape) =>
        destinations?.Invoke(v) is { } kept && kept.DType == dtype && kept.Shape.SequenceEqual(shape) ? kept
            : Track(DeviceArray.Temporary(Launcher.Device, dtype, shape));

    public DeviceArray Cast(DeviceArray a, DType dtype) => Launcher.Cast(a, dtype, Allocations);

    /// <summary>The scans of the running plan, each with its step built for the device.</summary>
    internal IReadOnlyDictionary<Apply, DeviceScan> Scans { get; init; } = new Dictionary<Apply, DeviceScan>();
}

/// <summary>A node's inputs during a call: each on the device (uploaded when it lives on the host), or its host
/// value (index arithmetic).</summary>
public interface IOperands
{
    DeviceArray this[int input] { get; }

    NDArray Host(int input);

    int Count { get; }
}

/// <summary>
/// The device implementation of each op, keyed by op type (PyTensor's funcify registry): one row per op. A node
/// without a row runs its reference <see cref="Op.Perform"/> on the host (<see cref="PlanStep.OnHost"/>).
/// </summary>
public static class DeviceOps
{
    public delegate DeviceArray[] Handler(Apply node, IOperands x, CallContext context);

    private static readonly Dictionary<Type, Handler> Handlers = new()
    {
        [typeof(DimShuffle)] = (node, x, _) => [DimShuffleView((DimShuffle)node.op, x[0])],
        [typeof(Subtensor)] = (node, x, _) =>
            [BasicIndexing.View(x[0], ((Subtensor)node.op).Specs, HostValues(x, 1))],
        [typeof(Reduce)] = (node, x, c) => [Reduce((Reduce)node.op, x[0], c)],
        [typeof(Argmax)] = (node, x, c) => [Argmax(((Argmax)node.op).Axis, x[0], c)],
        [typeof(Softmax)] = (node, x, c) => [c.Track(c.Launcher.Softmax(c.Contiguous(x[0]), log: false))],
        [typeof(LogSoftmax)] = (node, x, c) => [c.Track(c.Launcher.Softmax(c.Contiguous(x[0]), log: true))],
        [typeof(CrossentropySoftmax1Hot)] = (node, x, c) => [CrossEntropy(node, x, c)],
        [typeof(CrossentropySoftmax1HotDx)] = (node, x, c) => [CrossEntropyGrad(node, x, c)],
        [typeof(Dot)] = DotProduct,
        [typeof(Elemwise)] = (node, x, c) => [Loop(node, Inputs(x), c)],
        [typeof(Composite)] = (node, x, c) => [Loop(node, Inputs(x), c)],
        [typeof(FusedReduce)] = (node, x, c) => [FusedReduction(node, Inputs(x), c)],
        [typeof(Reshape)] = (node, x, c) => [ReshapeView((Reshape)node.op, x[0], x.Host(1), c)],
        [typeof(Join)] = (node, x, c) => [Join(((Join)node.op).Axis, Inputs(x), c)],
        [typeof(Scan)] = DeviceScan.Run,
        [typeof(IncSubtensor)] = DeviceIncSubtensor.Run,
        [typeof(IfElse)] = (node, x, c) => [x[IfElse.Branch(x.Host(0))]],
        [typeof(AdvancedSubtensor)] = (node, x, c) => [Gather(x[0], Inputs(x)[1..], c)],
        [typeof(AdvancedIncSubtensor)] = (node, x, c) =>
            [Scatter(x[0], x[1], Inputs(x)[2..], ((AdvancedIncSubtensor)node.op).SetInstead, c)],
        [typeof(Ops.Random.Uniform)] = RandomDraws.Run,
        [typeof(Ops.Random.Binomial)] = RandomDraws.Run,
        [typeof(AbstractConv2d)] = ConvDeviceOps.Forward,
        [typeof(AbstractConv2dGradInputs)] = ConvDeviceOps.GradInputs,
        [typeof(AbstractConv2dGradWeights)] = ConvDeviceOps.GradWeights,
        [typeof(Pool)] = PoolDeviceOps.Forward,
        [typeof(MaxPoolGrad)] = PoolDeviceOps.MaxGrad,
        [typeof(AveragePoolGrad)] = PoolDeviceOps.AverageGrad,
        [typeof(DownsampleFactorMaxGradGrad)] = PoolDeviceOps.MaxGradGrad,
    };

    /// <summary>Whether <paramref name="node"/> runs on the device: its op has a row that takes its dtypes.</summary>
    public static bool Runs(Apply node) => Handlers.ContainsKey(node.op.GetType()) && node.op switch
    {
        Dot => node.inputs.All(v => v.type.dtype == node.outputs[0].type.dtype && v.type.dtype.IsFloat),
        AdvancedSubtensor or AdvancedIncSubtensor => node.outputs[0].type.dtype.ItemSize >= 4
            && !node.outputs[0].type.dtype.IsBool
            && node.inputs.Count - (node.op is AdvancedSubtensor ? 1 : 2) <= Codegen.IndexingKernels.MaxIndexArrays,
        Elemwise or Composite or FusedReduce => BodyOf(node).IsSupported,
        CrossentropySoftmax1Hot or CrossentropySoftmax1HotDx => node.outputs[0].type.dtype.IsFloat,
        Ops.Random.Uniform or Ops.Random.Binomial => RandomDraws.Runs(node),
        AbstractConv2d or AbstractConv2dGradInputs or AbstractConv2dGradWeights or Pool or MaxPoolGrad
            or AveragePoolGrad or DownsampleFactorMaxGradGrad => ConvDeviceOps.Runs(node),
        _ => true,
    };

    public static DeviceArray[] Run(Apply node, IOperands inputs, CallContext context) =>
        Handlers[node.op.GetType()](node, inputs, context);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Apply, Codegen.LoopBody> Bodies = [];

    /// <summary>The loop body of an elementwise node (for a fused reduction, of the loop it reduces).</summary>
    private static Codegen.LoopBody BodyOf(Apply node) => Bodies.GetValue(node, n => n.op is FusedReduce fused
        ? new Codegen.LoopBody(fused.Body, new([.. n.inputs.Select(v => v.type.dtype)]), fused.DType)
        : Codegen.LoopBody.Of(n));

    private static DeviceArray Loop(Apply node, DeviceArray[] inputs, CallContext c)
    {
        var (body, shape) = (BodyOf(node), ElementwiseShape(node, inputs));
        var output = c.Output(node.outputs[0], body.Output, shape);
        c.Launcher.LoopInto(body, inputs, shape, output);
        return output;
    }

    // Reduced axes that are one run of the loop's axes (all of them, the rows of a matrix, ...) are folded in one
    // kernel that never stores the loop's values; other axes take the loop into a temporary, then the reduction.
    private static DeviceArray FusedReduction(Apply node, DeviceArray[] inputs, CallContext c)
    {
        var fused = (FusedReduce)node.op;
        var ndim = inputs.Length == 0 ? 0 : inputs[0].Ndim;
        var shape = ElementwiseShape(node, inputs, ndim);
        var axes = fused.Reduction.Axes?.Order().ToArray() ?? [.. Enumerable.Range(0, ndim)];
        if (axes.Length > 0 && axes[^1] - axes[0] == axes.Length - 1)
            return c.Track(c.Launcher.LoopReduce(BodyOf(node), inputs, shape, fused.Reduction.Kind, axes[0],
                axes[^1] + 1));
        var values = c.Track(c.Launcher.Loop(BodyOf(node), inputs, shape));
        return Reduce(fused.Reduction, values, c);
    }

    private static DeviceArray[] Inputs(IOperands x) => [.. Enumerable.Range(0, x.Count).Select(i => x[i])];

    private static NDArray[] HostValues(IOperands x, int from) =>
        [.. Enumerable.Range(from, x.Count - from).Select(x.Host)];

    /// <summary>The output shape of an elementwise node (a fused reduction: of its loop, the inputs' rank) by
    /// <see cref="BroadcastRule"/>.</summary>
    public static int[] ElementwiseShape(Apply node, IReadOnlyList<DeviceArray> arrays, int? ndim = null)
    {
        var shape = new int[ndim ?? node.outputs[0].ndim];
        BroadcastRule.OutputShape(node, new DeviceShapes(arrays), shape);
        return shape;
    }

    private readonly struct DeviceShapes(IReadOnlyList<DeviceArray> arrays) : BroadcastRule.IShapes
    {
        public int Length(int input, int axis) => arrays[input].Shape[axis];
    }

    private static DeviceArray ReshapeView(Reshape op, DeviceArray x, NDArray shape, CallContext c)
    {
        int[] target = [.. shape.ToFlatArray<long>().Select(n => (int)n)];
        if (target.Length != op.Ndim)
            throw new ArgumentException($"{op.Name}: the shape {NDArray.ShapeString(target)} has {target.Length} " +
                $"entries, expected {op.Ndim}.");
        return c.Contiguous(x).Reshaped(Values.Shapes.Reshaped(x.Shape, target));
    }

    // Each part is copied into its slice of the output by the identity kernel writing through a view.
    private static DeviceArray Join(int axis, DeviceArray[] parts, CallContext c)
    {
        var first = parts[0];
        axis = axis < 0 ? axis + first.Ndim : axis;
        var shape = (int[])first.Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        var output = c.Track(DeviceArray.Temporary(c.Launcher.Device, first.DType, shape));
        var start = 0;
        foreach (var part in parts)
        {
            if (part.Ndim != first.Ndim || part.DType != first.DType || Enumerable.Range(0, part.Ndim)
                    .Any(a => a != axis && part.Shape[a] != first.Shape[a]))
                throw new ArgumentException($"join: parts of shapes {string.Join(" and ",
                    parts.Select(p => NDArray.ShapeString(p.Shape)))} do not match except on axis {axis}.");
            var slice = output.Slice(axis, start, start + part.Shape[axis], 1);
            c.Launcher.LoopInto(Codegen.LoopBody.Convert(part.DType, part.DType), [part], part.Shape, slice);
            start += part.Shape[axis];
        }
        return output;
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
        if (op.Axes is null) return c.Track(c.Launcher.Reduce(op.Kind, current.Reshaped([(int)current.Size]), 0));
        foreach (var axis in op.Axes.OrderDescending()) current = c.Track(c.Launcher.Reduce(op.Kind, current, axis));
        return current;
    }

    private static DeviceArray Argmax(int? axis, DeviceArray x, CallContext c)
    {
        var contiguous = c.Contiguous(x);
        return axis is { } a
            ? c.Track(c.Launcher.Reduce("argmax", contiguous, a))
            : c.Track(c.Launcher.Reduce("argmax", contiguous.Reshaped([(int)contiguous.Size]), 0));
    }

    // Labels are read as int64 by the kernels; the row counts are checked here, as OneHot.Rows does on the host.
    private static DeviceArray Labels(Apply node, DeviceArray matrix, DeviceArray labels, CallContext c)
    {
        if (matrix.Ndim != 2 || labels.Ndim != 1 || labels.Shape[0] != matrix.Shape[0])
            throw new ArgumentException($"{node.op.Name}: labels of shape {NDArray.ShapeString(labels.Shape)} do " +
                $"not match the {NDArray.ShapeString(matrix.Shape)} matrix (one label per row).");
        return c.Contiguous(c.Cast(labels, DType.Int64));
    }

    private static DeviceArray CrossEntropy(Apply node, IOperands x, CallContext c)
    {
        var logits = c.Contiguous(x[0]);
        var (nll, softmax) = c.Launcher.SoftmaxCrossEntropy(logits, Labels(node, logits, x[1], c), c.Error);
        c.Track(softmax);
        return c.Track(nll);
    }

    private static DeviceArray CrossEntropyGrad(Apply node, IOperands x, CallContext c)
    {
        var sm = c.Contiguous(x[1]);
        var dnll = x[0];
        if (dnll.Ndim != 1 || dnll.Shape[0] != sm.Shape[0])
            throw new ArgumentException($"{node.op.Name}: dnll of shape {NDArray.ShapeString(dnll.Shape)} does not " +
                $"match softmax of shape {NDArray.ShapeString(sm.Shape)}.");
        return c.Track(c.Launcher.SoftmaxCrossEntropyGrad(c.Contiguous(dnll), sm, Labels(node, sm, x[2], c)));
    }

    // Vectors become one-row or one-column matrices for GEMM; the result is viewed back at the node's rank.
    private static DeviceArray[] DotProduct(Apply node, IOperands x, CallContext c)
    {
        var (a, b) = (x[0], x[1]);
        var left = a.Ndim == 1 ? c.Contiguous(a).Reshaped([1, a.Shape[0]]) : a;
        var right = b.Ndim == 1 ? c.Contiguous(b).Reshaped([b.Shape[0], 1]) : b;
        if (left.Shape[1] != right.Shape[0])
            throw new ArgumentException(
                $"dot: shapes {NDArray.ShapeString(a.Shape)} and {NDArray.ShapeString(b.Shape)} are not aligned.");
        var product = c.Track(c.Launcher.Gemm(left, right, c.Allocations));
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
        return [.. indices.Select(i => c.Track(c.Launcher.Loop(Codegen.LoopBody.Convert(i.DType, DType.Int64),
            [Broadcast(i, shape)], shape)))];
    }

    internal static DeviceArray Broadcast(DeviceArray a, int[] shape)
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
        return c.Track(c.Launcher.Gather(c.Contiguous(x), index, indexShape, c.Error));
    }

    private static DeviceArray Scatter(DeviceArray x, DeviceArray y, DeviceArray[] indices, bool set, CallContext c)
    {
        var index = Int64Indices(indices, c, out var indexShape);
        var result = c.Track(DeviceArray.Temporary(c.Launcher.Device, x.DType, x.Shape));
        var source = c.Contiguous(x);
        c.Launcher.Device.CopyOnDevice(result.Pointer, source.Pointer, x.Size * x.DType.ItemSize);
        int[] selected = [.. indexShape, .. x.Shape.Skip(indices.Length)];
        var values = c.Track(c.Launcher.Loop(Codegen.LoopBody.Convert(y.DType, x.DType),
            [Broadcast(y, selected)], selected));
        if (set)
        {
            var claims = c.Track(DeviceArray.Temporary(c.Launcher.Device, DType.Int64,
                KernelLauncher.ClaimsShape(result, index.Length)));
            c.Launcher.ScatterSet(result, index, values, claims, c.Error);
        }
        else c.Launcher.ScatterAdd(result, index, values, c.Error);
        return result;
    }
}
