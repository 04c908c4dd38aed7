using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Runs a compiled function's optimized graph on the GPU. Shared variables stay resident on the device between calls
/// (re-uploaded only when the host value was replaced, e.g. by set_value; a value changed in place by another function
/// or through get_value(borrow: true) is not seen until <see cref="Invalidate"/>); inputs are copied up once per call
/// through
/// a pinned buffer; outputs are copied back. Updates are applied as on the CPU: only after every output and update has
/// been computed and checked, so a call that throws changes no shared variable.
/// </summary>
public sealed class CudaFunctionRunner : IDisposable
{
    private readonly CudaDevice device;
    private readonly IReadOnlyList<Variable> inputs;
    private readonly IReadOnlyList<Variable> results;
    private readonly int outputCount;
    private readonly IReadOnlyList<SharedVariable> updated;
    private readonly IReadOnlyList<PlanStep> plan;
    private readonly IReadOnlyList<Variable> graphInputs;
    private readonly Dictionary<SharedVariable, (NDArray Host, DeviceArray Device)> resident =
        new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Constant, DeviceArray> constants = new(ReferenceEqualityComparer.Instance);
    private readonly DeviceKernels kernels;
    private readonly Transfers transfers;
    private readonly ErrorFlag error;

    /// <summary>
    /// A runner for <paramref name="results"/>: the optimized outputs, then the optimized update expressions.
    /// </summary>
    public CudaFunctionRunner(CudaDevice device, IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> results,
        int outputCount,
        IReadOnlyList<SharedVariable> updated)
    {
        (this.device, this.inputs, this.results, this.outputCount, this.updated) = (device, inputs, results,
            outputCount, updated);
        var schedule = GraphWalk.TopoSort(results);
        plan = ExecutionPlan.Build(schedule, results);
        graphInputs = [.. GraphWalk.Inputs(results)];
        kernels = new DeviceKernels(device);
        transfers = new Transfers(device);
        error = new ErrorFlag(device);
    }

    /// <summary>The device runner of a function compiled by <c>function(...)</c>, on the default GPU.</summary>
    public static CudaFunctionRunner For(CompiledFunction f) =>
        new(CudaDevice.Default, f.Inputs, f.OptimizedOutputs, f.Outputs.Count, [.. f.Updates.Select(u => u.Variable)]);

    public IReadOnlyList<PlanStep> Plan => plan;

    /// <summary>
    /// Whether each call copies updated shared variables back to the host (so get_value sees them at once). Off, they
    /// stay on the device until <see cref="SyncSharedToHost"/>, which saves a download per parameter per step.
    /// </summary>
    public bool SyncSharedEachCall { get; set; } = true;

    public NDArray[] Call(params object[] args)
    {
        if (args.Length != inputs.Count)
            throw new ArgumentException($"the function takes {inputs.Count} argument(s), got {args.Length}.");
        device.MakeCurrent();
        var context = new CallContext(kernels, transfers, error);
        var adopted = new HashSet<DeviceMemory>(ReferenceEqualityComparer.Instance);
        try
        {
            var values = new Dictionary<Variable, DeviceArray>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < args.Length; i++)
                values[inputs[i]] = context.Track(transfers.Upload(inputs[i].type.Filter(args[i],
                    $"argument {i} ({inputs[i]})")));
            foreach (var v in graphInputs.Where(v => !values.ContainsKey(v))) values[v] = GraphInput(v);
            error.Reset();
            foreach (var step in plan) PlanRunner.Execute(step, values, context);
            if (error.Read() is var flagged and not 0)
                throw new IndexOutOfRangeException($"an index or label is out of range at position {flagged - 1} " +
                    $"(device check); no shared variable was changed.");
            var computed = results.Select(r => context.Contiguous(values[r])).ToArray();
            CheckUpdates(computed);
            var outputs = computed[..outputCount].Select(transfers.Download).ToArray();
            Commit(computed, adopted);
            return outputs;
        }
        finally
        {
            foreach (var memory in context.Allocations.Where(m => !adopted.Contains(m))) memory.Dispose();
        }
    }

    private DeviceArray GraphInput(Variable v) => v switch
    {
        SharedVariable s => Resident(s),
        Constant c => constants.TryGetValue(c, out var d) ? d : constants[c] = transfers.Upload(c.data),
        _ => throw new InvalidOperationException($"no value for the graph input {v}."),
    };

    private DeviceArray Resident(SharedVariable s)
    {
        if (resident.TryGetValue(s, out var entry) && ReferenceEquals(entry.Host, s.Value)) return entry.Device;
        if (resident.Remove(s, out var stale)) stale.Device.Memory.Dispose();
        var copy = transfers.Upload(s.Value);
        resident[s] = (s.Value, copy);
        return copy;
    }

    private void CheckUpdates(DeviceArray[] computed)
    {
        for (var u = 0; u < updated.Count; u++)
        {
            var (variable, value) = (updated[u], computed[outputCount + u]);
            if (!value.Shape.SequenceEqual(variable.Value.shape))
                throw new ArgumentException(
                    $"the update of shared variable {variable} computed a value of shape " +
                        $"{NDArray.ShapeString(value.Shape)}, but the variable has shape " +
                            $"{NDArray.ShapeString(variable.Value.shape)}; no shared variable was changed.");
        }
    }

    // Runs only after everything was computed and checked: the new device values replace the resident ones together.
    private void Commit(DeviceArray[] computed, HashSet<DeviceMemory> adopted)
    {
        for (var u = 0; u < updated.Count; u++)
        {
            var variable = updated[u];
            var value = computed[outputCount + u];
            if (value.DType != variable.type.dtype)
                value = kernels.Elementwise(new Codegen.ScalarGraph([value.DType],
                    [new Codegen.ScalarNode(new Cast(variable.type.dtype), [0])], [1]),
                    [value], value.Shape)[0];
            else if (computed.Take(outputCount).Any(o => ReferenceEquals(o.Memory, value.Memory))
                || !OwnedByCall(value))
                value = Copy(value);
            adopted.Add(value.Memory);
            var old = resident.Remove(variable, out var entry) ? entry.Device : null;
            if (SyncSharedEachCall) variable.Assign(transfers.Download(value));
            resident[variable] = (variable.Value, value);
            if (old is not null && !resident.Values.Any(e => ReferenceEquals(e.Device.Memory,
                old.Memory))) old.Memory.Dispose();
        }
    }

    // An update that is itself a resident value or constant (x = y) must get its own memory.
    private bool OwnedByCall(DeviceArray value) =>
        !resident.Values.Any(e => ReferenceEquals(e.Device.Memory, value.Memory))
        && !constants.Values.Any(c => ReferenceEquals(c.Memory, value.Memory));

    private DeviceArray Copy(DeviceArray value)
    {
        var copy = DeviceArray.Allocate(device, value.DType, value.Shape);
        device.CopyOnDevice(copy.Pointer, value.Pointer, value.Size * value.DType.ItemSize);
        return copy;
    }

    /// <summary>Forgets the device copies, so that the next call uploads every shared variable again.</summary>
    public void Invalidate()
    {
        SyncSharedToHost();
        foreach (var (_, device) in resident.Values) device.Memory.Dispose();
        resident.Clear();
    }

    /// <summary>Copies every shared variable this function updates back to the host.</summary>
    public void SyncSharedToHost()
    {
        foreach (var variable in updated)
        {
            if (!resident.TryGetValue(variable, out var entry)) continue;
            variable.Assign(transfers.Download(entry.Device));
            resident[variable] = (variable.Value, entry.Device);
        }
    }

    public void Dispose()
    {
        var memories = resident.Values.Select(e => e.Device.Memory).Concat(constants.Values.Select(c => c.Memory));
        foreach (var memory in memories
                     .Distinct(ReferenceEqualityComparer.Instance).Cast<DeviceMemory>())
            memory.Dispose();
        resident.Clear();
        constants.Clear();
        transfers.Dispose();
        error.Dispose();
    }
}
