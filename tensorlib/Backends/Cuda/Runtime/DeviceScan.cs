using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// A <see cref="Scan"/> on the device. When the outer function is built, the step is optimized with the CUDA
/// backend's phases and built into a <see cref="CudaExecutable"/> of its own, once. A call runs the loop on the
/// device: each step reads the sequences' rows and the outputs' earlier rows as views (no copy), the non-sequences
/// whole, and its results are copied into their rows of the (steps, ...) buffers taken from the call's arena. The
/// number of steps is known on the host, so nothing comes back per step, and the step's temporaries are laid out
/// afresh each step in its own arena, so a warm loop allocates nothing and a steady call can be captured as a graph.
/// Not thread-safe: one per executable, whose calls are serialized.
/// </summary>
internal sealed class DeviceScan
{
    private readonly Apply node;
    private readonly int[] innerOf;                 // step argument -> inner input of the scan
    private readonly DeviceArray[] arguments;
    private readonly DeviceArray?[] scratch;        // per output: where a result that is another state is kept
    private readonly DeviceArray?[] rows;           // per output: the row this step's result is written into

    private DeviceScan(Apply node, Device device, ErrorFlag error)
    {
        this.node = node;
        var inner = ((Scan)node.op).Inner;
        var backend = CudaBackend.On(device);
        var optimized = StepTestValues.Off(() => Optimizer.Optimize(inner.Outputs, backend.Phases).Lowered);
        Step = new CudaExecutable(device, optimized, [], [], error);
        innerOf = [.. Step.GraphInputs.Select(v => GraphWalk.IndexOf(inner.Inputs, v) is var i and >= 0 ? i
            : throw new InvalidOperationException($"the inner graph of scan reads {v}, which is not one of its inputs."))];
        arguments = new DeviceArray[innerOf.Length];
        scratch = new DeviceArray?[node.outputs.Count];
        rows = new DeviceArray?[node.outputs.Count];
    }

    /// <summary>The step's executable: its plan, its fallbacks, its arena.</summary>
    public CudaExecutable Step { get; }

    /// <summary>A device scan for each scan node that <paramref name="plan"/> runs on the device.</summary>
    public static IReadOnlyDictionary<Apply, DeviceScan> ForPlan(IReadOnlyList<PlanStep> plan, Device device,
        ErrorFlag error) => plan.OfType<PlanStep.OnDevice>().Where(s => s.Node.op is Scan)
        .ToDictionary<PlanStep.OnDevice, Apply, DeviceScan>(s => s.Node, s => new DeviceScan(s.Node, device, error),
            ReferenceEqualityComparer.Instance);

    /// <summary>The <see cref="DeviceOps"/> row of <see cref="Scan"/>.</summary>
    public static DeviceArray[] Run(Apply node, IOperands x, CallContext context) =>
        context.Scans[node].Loop(x, context);

    private DeviceArray[] Loop(IOperands x, CallContext c)
    {
        var (op, l) = ((Scan)node.op, ((Scan)node.op).Layout);
        var n = ScanLoop.CheckedSteps(node, (long)x.Host(0), j => x[1 + j].Shape[0]);
        var outputs = new DeviceArray?[l.OutputCount];
        for (var i = 0; i < l.Recurrent; i++)
        {
            var init = x[l.FirstInit + i];
            ScanLoop.CheckInitialRows(node, i, init.Shape[0]);
            int[] rowShape = [.. init.Shape[1..]];
            outputs[i] = l.KeepsLastOnly(i)
                ? c.Output(node.outputs[i], init.DType, rowShape)
                : c.Output(node.outputs[i], init.DType, [l.InitialRows(i) + n, .. rowShape]);
            if (l.KeepsLastOnly(i)) Copy(c, Row(init, 0), outputs[i]!);
            else Copy(c, init, outputs[i]!.Slice(0, 0, l.InitialRows(i), 1));
        }
        for (var t = 0; t < n; t++)
        {
            var row = l.Row(t, n);
            for (var g = 0; g < innerOf.Length; g++) arguments[g] = Argument(x, outputs, innerOf[g], t, row);
            for (var q = 0; q < l.OutputCount; q++) rows[q] = RowOf(outputs, q, t, row);
            try
            {
                var results = Step.RunStep(arguments, rows, Interrupts.Token);
                for (var q = l.Recurrent; q < l.OutputCount; q++)
                    outputs[q] ??= c.Output(node.outputs[q], node.outputs[q].type.dtype, [n, .. results[q].Shape]);
                Store(op, outputs, results, t, row, c);
            }
            finally
            {
                Step.EndStep();
            }
        }
        for (var q = l.Recurrent; q < l.OutputCount; q++)
            outputs[q] ??= c.Output(node.outputs[q], node.outputs[q].type.dtype, new int[node.outputs[q].ndim]);
        Array.Clear(arguments);
        Array.Clear(rows);
        return [.. outputs.Select(o => o!)];
    }

    // Where output q's result at step t goes: its row (row, for an output not fed back: ScanLayout.Row), or the
    // buffer of a state kept last-only.
    private DeviceArray Destination(DeviceArray?[] outputs, int q, int t, int row)
    {
        var l = ((Scan)node.op).Layout;
        if (q >= l.Recurrent) return Row(outputs[q]!, row);
        return l.KeepsLastOnly(q) ? outputs[q]! : Row(outputs[q]!, l.InitialRows(q) + t);
    }

    // Where the step may write output q's result itself: its row, which no input of the step reads (taps read
    // earlier rows). A state kept last-only is read by the step, and the rows of an output that is not fed back exist
    // only once the first step gave their shape: those results are copied after the step.
    private DeviceArray? RowOf(DeviceArray?[] outputs, int q, int t, int row)
    {
        var l = ((Scan)node.op).Layout;
        return (q < l.Recurrent && l.KeepsLastOnly(q)) || outputs[q] is null ? null : Destination(outputs, q, t, row);
    }

    // What inner input k reads at step t: a sequence's row (row: ScanLayout.Row), a tap's row of its output (a state
    // kept last-only is its own buffer), or a non-sequence.
    private DeviceArray Argument(IOperands x, DeviceArray?[] outputs, int k, int t, int row)
    {
        var l = ((Scan)node.op).Layout;
        if (k < l.Sequences) return Row(x[1 + k], row);
        if (k >= l.FirstInnerNonSequence) return x[k - l.FirstInnerNonSequence + l.FirstOuterNonSequence];
        var i = Enumerable.Range(0, l.Recurrent).Last(r => l.InnerTap(r, 0) <= k);
        return l.KeepsLastOnly(i) ? outputs[i]! : Row(outputs[i]!, l.InitialRows(i) + t + l.Taps[i][k - l.InnerTap(i, 0)]);
    }

    private void Store(Scan op, DeviceArray?[] outputs, DeviceArray[] results, int t, int row, CallContext c)
    {
        var l = op.Layout;
        var destinations = new DeviceArray[results.Length];
        for (var q = 0; q < results.Length; q++)
        {
            destinations[q] = Destination(outputs, q, t, row);
            ScanLoop.CheckStepShape(op, q, destinations[q].Shape, results[q].Shape,
                q < l.Recurrent ? "its state" : "its first step's");
        }
        // A result that is (a view of) a state kept last-only would be overwritten by that state's store first.
        for (var q = 0; q < results.Length; q++)
        {
            if (Same(results[q], destinations[q])) continue;
            var aliased = Enumerable.Range(0, l.Recurrent).Any(i => l.KeepsLastOnly(i)
                && ReferenceEquals(results[q].Memory, outputs[i]!.Memory));
            if (!aliased) continue;
            if (scratch[q] is not { } kept || kept.DType != results[q].DType || !kept.Shape.SequenceEqual(results[q].Shape))
            {
                scratch[q]?.Memory.Dispose();
                scratch[q] = kept = DeviceArray.Allocate(c.Launcher.Device, results[q].DType, results[q].Shape);
            }
            Copy(c, results[q], kept);
            results[q] = kept;
        }
        for (var q = 0; q < results.Length; q++)
        {
            if (!Same(results[q], destinations[q])) Copy(c, results[q], destinations[q]);
        }
    }

    private static bool Same(DeviceArray a, DeviceArray b) => ReferenceEquals(a.Memory, b.Memory)
        && a.Offset == b.Offset && a.Strides.SequenceEqual(b.Strides);

    /// <summary>Row <paramref name="t"/> of <paramref name="a"/>, a view.</summary>
    private static DeviceArray Row(DeviceArray a, int t) =>
        a.View([.. a.Shape[1..]], [.. a.Strides[1..]], a.Offset + t * a.Strides[0]);

    private static void Copy(CallContext c, DeviceArray from, DeviceArray to) =>
        c.Launcher.LoopInto(Codegen.LoopBody.Convert(from.DType, to.DType), [from], to.Shape, to);
}
