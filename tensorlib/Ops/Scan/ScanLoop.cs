namespace Theon.Ops;

/// <summary>
/// The loop of a <see cref="Scan"/>, shared by its reference <see cref="Op.Perform"/> and the backends' kernels:
/// allocates each output's (rows, ...) buffer once, runs the step (<see cref="IScanStep"/>) once per step on the
/// sequences' rows and the outputs' earlier rows, and copies each step's results into their row.
/// </summary>
internal static class ScanLoop
{
    /// <summary>
    /// Runs the loop. <paramref name="output"/> gives output q's buffer at a shape (a backend's planned buffer, kept
    /// from call to call); without it each is a new array. Every element of a buffer is written.
    /// </summary>
    public static NDArray[] Run(Apply node, NDArray[] inputs, IScanStep step, CancellationToken cancellation,
        Func<int, int[], NDArray>? output = null, ScanWorkspace? workspace = null)
    {
        NDArray RowBuffer(int input, NDArray like) =>
            workspace?.Row(input, like.DType, like.Dims[1..]) ?? NDArray.Zeros(like.DType, like.Dims[1..]);
        NDArray Allocate(int q, int[] shape) =>
            output?.Invoke(q, shape) ?? NDArray.Zeros(node.outputs[q].type.dtype, shape);
        var op = (Scan)node.op;
        var l = op.Layout;
        var n = CheckedSteps(node, (long)inputs[0], j => inputs[1 + j].Dims[0]);
        var outputs = new NDArray?[l.OutputCount];
        for (var i = 0; i < l.Recurrent; i++)
        {
            var init = inputs[l.FirstInit + i];
            var rows = l.InitialRows(i);
            CheckInitialRows(node, i, init.Dims[0]);
            if (l.KeepsLastOnly(i))
            {
                var state = Allocate(i, init.Dims[1..]);
                state.CopyFrom(init[0]);
                outputs[i] = state;
                continue;
            }
            var buffer = Allocate(i, [rows + n, .. init.Dims[1..]]);
            buffer.Slice(0, 0, rows).CopyFrom(init);
            outputs[i] = buffer;
        }

        var lastOnly = Enumerable.Range(0, l.Recurrent).Select(l.KeepsLastOnly).ToArray();
        var anyLastOnly = lastOnly.Any(b => b);
        var innerInputs = new NDArray[l.InnerInputCount];
        for (var p = 0; p < l.NonSequences; p++)
            innerInputs[l.FirstInnerNonSequence + p] = inputs[l.FirstOuterNonSequence + p];
        var results = new NDArray[l.OutputCount];
        // Each step's rows are copied into the same arrays (kept from call to call by a backend's workspace), so the
        // step's kernels see the same input objects at every step and keep their loop plans and views (a row is small
        // beside the work a step does on it).
        for (var j = 0; j < l.Sequences; j++) innerInputs[j] = RowBuffer(j, inputs[1 + j]);
        for (var i = 0; i < l.Recurrent; i++)
        {
            for (var k = 0; k < l.Taps[i].Count; k++)
                innerInputs[l.InnerTap(i, k)] = lastOnly[i] ? outputs[i]! : RowBuffer(l.InnerTap(i, k), outputs[i]!);
        }
        for (var t = 0; t < n; t++)
        {
            var row = l.Row(t, n);
            for (var j = 0; j < l.Sequences; j++) innerInputs[j].CopyFromRow(inputs[1 + j], row);
            for (var i = 0; i < l.Recurrent; i++)
            {
                if (lastOnly[i]) continue;
                var rows = l.InitialRows(i);
                for (var k = 0; k < l.Taps[i].Count; k++)
                    innerInputs[l.InnerTap(i, k)].CopyFromRow(outputs[i]!, rows + t + l.Taps[i][k]);
            }
            step.Run(innerInputs, results, cancellation);
            if (anyLastOnly) SnapshotAliases(outputs, lastOnly, results);
            for (var i = 0; i < l.Recurrent; i++)
            {
                if (lastOnly[i]) Store(op, i, outputs[i]!, results[i], "its state");
                else StoreRow(op, i, outputs[i]!, l.InitialRows(i) + t, results[i], "its state");
            }
            for (var q = l.Recurrent; q < l.OutputCount; q++)
                StoreRow(op, q, outputs[q] ??= Allocate(q, [n, .. results[q].Dims]), row, results[q], "its first step's");
        }
        for (var q = l.Recurrent; q < l.OutputCount; q++)
            outputs[q] ??= Allocate(q, new int[node.outputs[q].ndim]);
        return [.. outputs.Select(o => o!)];
    }

    /// <summary>
    /// A result may be a state buffer itself (a step that returns another state unchanged); storing the states in
    /// order would then overwrite it before it is read, so such a result is copied first.
    /// </summary>
    private static void SnapshotAliases(NDArray?[] outputs, bool[] lastOnly, NDArray[] results)
    {
        for (var q = 0; q < results.Length; q++)
        {
            for (var i = 0; i < lastOnly.Length; i++)
            {
                if (lastOnly[i] && i != q && ReferenceEquals(results[q].Buffer, outputs[i]!.Buffer))
                {
                    results[q] = results[q].Copy();
                    break;
                }
            }
        }
    }

    private static void StoreRow(Scan op, int output, NDArray buffer, int row, NDArray value, string expected)
    {
        if (!buffer.Dims.AsSpan(1).SequenceEqual(value.Dims)) Store(op, output, buffer[row], value, expected);
        else buffer.CopyIntoRow(row, value);
    }

    private static void Store(Scan op, int output, NDArray row, NDArray value, string expected)
    {
        CheckStepShape(op, output, row.Dims, value.Dims, expected);
        row.CopyFrom(value);
    }

    /// <summary>The number of steps, checked against the sequences' lengths (a backend's loop checks as the
    /// reference does).</summary>
    public static int CheckedSteps(Apply node, long steps, Func<int, int> sequenceLength)
    {
        var op = (Scan)node.op;
        if (steps < 0)
            throw new ArgumentException($"{op.Name}: n_steps is {steps}; it must not be negative (use go_backwards to run backwards).");
        for (var j = 0; j < op.Layout.Sequences; j++)
        {
            var length = sequenceLength(j);
            if (length < steps)
                throw new ArgumentException(
                    $"{op.Name}: sequence {j} ({InputNames.Describe(node.inputs[1 + j])}) has {length} rows for {steps} steps " +
                    $"(step input {InputNames.Describe(op.Inner.Inputs[j])}).");
        }
        return checked((int)steps);
    }

    public static void CheckInitialRows(Apply node, int i, int rows)
    {
        var (op, l) = ((Scan)node.op, ((Scan)node.op).Layout);
        if (rows != l.InitialRows(i))
            throw new ArgumentException(
                $"{op.Name}: the initial state of output {i} ({InputNames.Describe(node.inputs[l.FirstInit + i])}) has " +
                $"{rows} rows; its taps [{string.Join(", ", l.Taps[i])}] need {l.InitialRows(i)}.");
    }

    /// <summary>A step result must have its row's shape; <paramref name="expected"/> says whose ("its state").</summary>
    public static void CheckStepShape(Scan op, int output, int[] row, int[] value, string expected)
    {
        if (!row.AsSpan().SequenceEqual(value))
            throw new ArgumentException(
                $"{op.Name}: step output {output} ({InputNames.Describe(op.Inner.Outputs[output])}) has shape " +
                $"{NDArray.ShapeString(value)}, {expected} shape is {NDArray.ShapeString(row)}.");
    }
}

/// <summary>
/// The arrays a loop copies each step's rows into, kept by a backend's kernel from call to call: the step then sees
/// the same input objects on every call too, and a steady call allocates nothing for them.
/// </summary>
internal sealed class ScanWorkspace
{
    private readonly Dictionary<int, NDArray> rows = [];

    /// <summary>The row buffer of step input <paramref name="input"/>, kept while its dtype and shape stay.</summary>
    public NDArray Row(int input, DType dtype, int[] shape)
    {
        if (rows.TryGetValue(input, out var kept) && kept.DType == dtype && kept.Dims.AsSpan().SequenceEqual(shape))
            return kept;
        return rows[input] = NDArray.Zeros(dtype, shape);
    }
}
