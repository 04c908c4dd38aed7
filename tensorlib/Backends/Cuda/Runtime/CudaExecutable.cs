using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Runs a device plan for <see cref="CompiledFunction"/>, which checks the arguments and orders the transactional
/// update. Shared variables are read where they live (<see cref="DeviceReplica"/>); constants go up once; an array
/// argument goes up each call into a buffer of its own; index arithmetic stays on the host; temporaries come from the
/// function's <see cref="DeviceArena"/>. The outputs and the error flag come back through one wait. Each update's
/// value is written into a buffer the function keeps for it, which <see cref="InstallStaged"/> makes the variable's
/// replica; the replica it replaces becomes the next call's buffer. So a steady training call moves only its
/// arguments and outputs, makes no allocation, and repeats the same addresses every other call.
/// </summary>
internal sealed partial class CudaExecutable : Executable
{
    private readonly Device device;
    private readonly IReadOnlyList<Variable> results;
    private readonly IReadOnlyList<SharedVariable> updated;
    private readonly int outputCount;
    private readonly int firstUpdate;     // the results are the outputs, the in-place updates' operands, the updates
    private readonly IReadOnlyList<PlanStep> plan;
    private readonly Dictionary<Variable, int> slotOf = new(ReferenceEqualityComparer.Instance);
    private readonly Variable[] variables;
    private readonly int[] argumentSlots;
    private readonly KernelLauncher kernels;
    private readonly Transfers transfers;
    private readonly ErrorFlag error;
    private readonly bool flagsErrors;
    private readonly NDArray flag = NDArray.Zeros(DType.Int64);
    private readonly NDArray?[] hostValues;
    private readonly DeviceArray?[] deviceValues;
    private readonly DeviceArray?[] uploads;       // per slot: the buffer its host value goes up into, kept
    private readonly NDArray?[] uploaded;          // per slot: what was last uploaded, for values that repeat
    private readonly NDArray?[] downloads;         // per output: the host buffer it comes back into
    private readonly DeviceArray?[] staged;
    private readonly DeviceArray?[] kept;          // per update: the buffer its next value is written into
    private readonly Dictionary<Variable, int> updateOf = new(ReferenceEqualityComparer.Instance);
    private readonly DeviceArena arena;
    private readonly int[] uploadedEachCall;     // the arguments read on the device, uploaded before anything runs
    private readonly int[] sharedSlots;
    private readonly int[] readers;     // per slot: how many steps read it; the function's results are never let go
    private readonly int[] remaining;
    private readonly Dictionary<DeviceMemory, int> holders = new(ReferenceEqualityComparer.Instance);
    private readonly List<DeviceMemory> stepRegions = [];
    private readonly List<int> hostInputsRead = [];    // this call's constants and host values read on the device
    private CallGraphs? graphs;
    private CallContext? call;

    public CudaExecutable(Device device, IReadOnlyList<Variable> results, IReadOnlyList<SharedVariable> updated,
        IReadOnlyList<InPlaceUpdate> inPlace, ErrorFlag? stepError = null)
    {
        isStep = stepError is not null;
        (this.device, this.results, this.updated, this.inPlace) = (device, results, updated, inPlace);
        firstUpdate = results.Count - updated.Count;
        outputCount = firstUpdate - inPlace.Sum(p => p.Operands.Count);
        Schedule = GraphWalk.TopoSort(results);
        var inputs = GraphWalk.Inputs(results);
        GraphInputs = [.. inputs.Where(v => v is not (SharedVariable or Constant))];
        foreach (var v in inputs.Concat(Schedule.SelectMany(n => n.outputs))) slotOf.TryAdd(v, slotOf.Count);
        variables = new Variable[slotOf.Count];
        foreach (var (v, slot) in slotOf) variables[slot] = v;
        argumentSlots = [.. GraphInputs.Select(v => slotOf[v])];
        plan = ExecutionPlan.Build(Schedule, isStep ? [] : GraphInputs);
        kernels = new KernelLauncher(device);
        transfers = new Transfers(device);
        error = stepError ?? new ErrorFlag(device);
        scans = DeviceScan.ForPlan(plan, device, error);
        flagsErrors = plan.OfType<PlanStep.OnDevice>().Any(s => s.Node.op is AdvancedSubtensor
            or AdvancedIncSubtensor or CrossentropySoftmax1Hot) || scans.Values.Any(s => s.Step.FlagsErrors)
            || inPlace.Any(p => p.Node.op is AdvancedIncSubtensor);
        hostValues = new NDArray?[variables.Length];
        deviceValues = new DeviceArray?[variables.Length];
        uploads = new DeviceArray?[variables.Length];
        uploaded = new NDArray?[variables.Length];
        downloads = new NDArray?[outputCount];
        staged = new DeviceArray?[updated.Count];
        kept = new DeviceArray?[updated.Count];
        for (var u = updated.Count - 1; u >= 0; u--) updateOf[results[firstUpdate + u]] = u;
        inPlaceTargets = new DeviceArray?[inPlace.Count];
        inPlaceWrites = new InPlaceWrite?[inPlace.Count];
        keptOperands = [.. inPlace.Select(p => new DeviceArray?[p.Operands.Count])];
        inPlaceClaims = new DeviceArray?[inPlace.Count];
        arena = new DeviceArena(device);
        var readOnDevice = plan.OfType<PlanStep.OnDevice>().SelectMany(s => s.Node.inputs)
            .Concat(results.Skip(firstUpdate)).Concat(inPlace.SelectMany(ReadOnDevice))
            .ToHashSet(ReferenceEqualityComparer.Instance);
        uploadedEachCall = [.. argumentSlots.Where(slot => readOnDevice.Contains(variables[slot]))];
        sharedSlots = [.. inputs.OfType<SharedVariable>().Select(v => slotOf[v])];
        readers = new int[variables.Length];
        foreach (var step in plan) foreach (var v in NodeOf(step).inputs) readers[slotOf[v]]++;
        foreach (var v in results) readers[slotOf[v]] = int.MaxValue;
        remaining = new int[variables.Length];
        graphs = T.config.cuda_graphs && device.HasGraphs && !plan.Any(s => s is PlanStep.OnHost { Fallback: true }
            || s is PlanStep.OnDevice { Node.op: IfElse }) ? new CallGraphs() : null;
    }

    // A function dropped (a notebook cell run again) gives its device buffers back to the pool. Its graphs and pinned
    // staging buffer are left to the process: freeing them needs the CUDA context on the finalizer's thread.
    ~CudaExecutable()
    {
        arena.Dispose();
        foreach (var buffer in kept.Concat(uploads).Concat(keptOperands.SelectMany(k => k)).Concat(inPlaceClaims))
            buffer?.Memory.Dispose();
        if (!isStep) error.Dispose();
    }

    public override IReadOnlyList<Apply> Schedule { get; }

    public override IReadOnlyList<Variable> GraphInputs { get; }

    public IReadOnlyList<PlanStep> Plan => plan;

    /// <summary>The size of the block this function's temporaries are laid out in.</summary>
    public long ArenaBytes => arena.Capacity;

    public override bool StagesUpdates => true;

    public override void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation)
    {
        device.MakeCurrent();
        try
        {
            for (var i = 0; i < inputs.Length; i++) hostValues[argumentSlots[i]] = inputs[i];
            foreach (var slot in uploadedEachCall) DeviceValue(slot);
            PrepareInPlaceTargets();
            var key = graphs is null ? null : GraphKey(inputs);
            var replayed = key is not null && graphs!.TryGet(key, out var captured) && TryReplay(captured, outputs);
            if (!replayed && (key is null || !graphs!.ShouldCapture(key) || !TryCapture(key, outputs, cancellation)))
                RunPlan(outputs, cancellation);
            if (flagsErrors) transfers.QueueDownload(error.Array, flag);
            transfers.Finish();
            if (flagsErrors && (long)flag is var flagged and not 0)
                throw new IndexOutOfRangeException($"an index or label is out of range at position {flagged - 1} " +
                    "(device check); no shared variable was changed.");
        }
        catch
        {
            transfers.Abandon();
            throw;
        }
        finally
        {
            Array.Clear(hostValues);
            Array.Clear(deviceValues);
        }
    }

    // The plan, step by step: the device work, then the update values into their kept buffers, then the outputs
    // queued to come back.
    private void RunPlan(NDArray[] outputs, CancellationToken cancellation)
    {
        var (context, deviceOutputs) = Walk(cancellation);
        try
        {
            for (var o = 0; o < outputCount; o++) outputs[o] = Output(o, deviceOutputs[o]);
        }
        finally
        {
            EndWalk(context);
        }
    }

    /// <summary>
    /// Issues the call's device work: every step, each update's value into its kept buffer, and each output made
    /// contiguous; the outputs as the device holds them (null where computed on the host).
    /// </summary>
    private (CallContext Context, DeviceArray?[] Outputs) Walk(CancellationToken cancellation)
    {
        using var scope = Device.Using(arena);
        var context = call = new CallContext(kernels, error, isStep ? StepDestination : Destination) { Scans = scans };
        try
        {
            var operands = new Operands(this);
            if (flagsErrors && !isStep) error.Reset();
            readers.CopyTo(remaining, 0);
            holders.Clear();
            hostInputsRead.Clear();
            arena.TakeRecent(stepRegions);
            foreach (var step in plan)
            {
                cancellation.ThrowIfCancellationRequested();
                Execute(step, operands, context);
                LetGoAfter(NodeOf(step));
            }
            for (var u = 0; u < updated.Count; u++)
                staged[u] = Stage(u, DeviceValue(slotOf[results[firstUpdate + u]]));
            for (var k = 0; k < inPlace.Count; k++) inPlaceWrites[k] = StageInPlace(k);
            return (context, [.. Enumerable.Range(0, outputCount).Select(DeviceOutput)]);
        }
        catch
        {
            EndWalk(context);
            throw;
        }
    }

    private static Apply NodeOf(PlanStep step) => step switch
    {
        PlanStep.OnDevice d => d.Node,
        PlanStep.OnHost h => h.Node,
        _ => throw new ArgumentException($"unknown plan step {step}."),
    };

    // Liveness, as the CPU backend's memory plan has it, counted at run time: an arena region is held by the values
    // that are it or views of it, and goes back to the arena when the last of them has had its last reader (the
    // function's results are never let go). A step's temporaries that no output holds go back at once.
    private void LetGoAfter(Apply node)
    {
        foreach (var v in node.outputs)
        {
            if (deviceValues[slotOf[v]] is { } value && arena.Holds(value.Memory))
                holders[value.Memory] = holders.GetValueOrDefault(value.Memory) + 1;
        }
        foreach (var region in arena.TakeRecent(stepRegions))
        {
            if (!holders.ContainsKey(region)) arena.Give(region);
        }
        foreach (var v in node.outputs)
        {
            if (readers[slotOf[v]] == 0) LetGo(slotOf[v]);
        }
        foreach (var v in node.inputs)
        {
            if (--remaining[slotOf[v]] == 0) LetGo(slotOf[v]);
        }
    }

    private void LetGo(int slot)
    {
        if (deviceValues[slot] is not { } value || !holders.TryGetValue(value.Memory, out var count)) return;
        if (count > 1)
        {
            holders[value.Memory] = count - 1;
            return;
        }
        holders.Remove(value.Memory);
        arena.Give(value.Memory);
    }

    private void EndWalk(CallContext context)
    {
        foreach (var memory in context.Allocations) memory.Dispose();
        arena.Reset();
        call = null;
    }

    public override int[] StagedShape(int update) => staged[update]!.Shape;

    public override void InstallStaged()
    {
        WriteInPlace();
        for (var u = 0; u < updated.Count; u++)
        {
            var update = u;
            kept[u] = null;
            updated[u].InstallReplica(new DeviceReplica(staged[u]!, transfers, released =>
            {
                if (kept[update] is null) kept[update] = released;
                else released.Memory.Dispose();
            }));
            staged[u] = null;
        }
    }

    public override void DiscardStaged()
    {
        Array.Clear(staged);
        Array.Clear(inPlaceWrites);
    }

    /// <summary>The kept buffer of the update whose value <paramref name="v"/> is, shaped as the variable.</summary>
    private DeviceArray? Destination(Variable v)
    {
        if (!updateOf.TryGetValue(v, out var u)) return null;
        var shape = ShapeOf(slotOf[updated[u]]);
        if (kept[u] is not { } buffer || !buffer.Shape.SequenceEqual(shape))
        {
            kept[u]?.Memory.Dispose();
            kept[u] = buffer = DeviceArray.Allocate(device, updated[u].type.dtype, shape);
        }
        return buffer;
    }

    private void Execute(PlanStep step, Operands operands, CallContext context)
    {
        switch (step)
        {
            case PlanStep.OnDevice single:
                operands.Node = single.Node;
                var results = DeviceOps.Run(single.Node, operands, context);
                foreach (var (v, a) in single.Node.outputs.Zip(results)) deviceValues[slotOf[v]] = a;
                break;
            case PlanStep.OnHost { Node: var node }:
                var values = node.op is Shape
                    ? [NDArray.FromArray(ShapeOf(slotOf[node.inputs[0]]).Select(d => (long)d).ToArray())]
                    : node.op.Perform(node, [.. node.inputs.Select(v => HostValue(slotOf[v]))]);
                foreach (var (v, a) in node.outputs.Zip(values)) hostValues[slotOf[v]] = a;
                break;
        }
    }

    /// <summary>Output <paramref name="o"/> as the device holds it: a contiguous array, or null when it was computed
    /// on the host.</summary>
    private DeviceArray? DeviceOutput(int o)
    {
        var slot = slotOf[results[o]];
        if (hostValues[slot] is not null && variables[slot] is not SharedVariable) return null;
        return call!.Contiguous(DeviceValue(slot));
    }

    /// <summary>Output <paramref name="o"/> on the host: computed there, or queued to come back into the output's
    /// own buffer.</summary>
    private NDArray Output(int o, DeviceArray? value)
    {
        if (value is null) return hostValues[slotOf[results[o]]]!;
        if (downloads[o] is not { } buffer || buffer.DType != value.DType || !buffer.shape.SequenceEqual(value.Shape))
            downloads[o] = buffer = NDArray.Zeros(value.DType, value.Shape);
        transfers.QueueDownload(value, buffer);
        return buffer;
    }

    /// <summary>
    /// Update <paramref name="u"/>'s value in the buffer kept for it: already there when the node that computed it
    /// wrote into it, else copied (a view, another variable's replica, a value two updates share).
    /// </summary>
    private DeviceArray Stage(int u, DeviceArray value)
    {
        if (ReferenceEquals(value, kept[u])) return value;
        if (kept[u] is not { } buffer || buffer.DType != value.DType || !buffer.Shape.SequenceEqual(value.Shape))
        {
            kept[u]?.Memory.Dispose();
            kept[u] = buffer = DeviceArray.Allocate(device, value.DType, value.Shape);
        }
        kernels.LoopInto(Codegen.LoopBody.Convert(value.DType, value.DType), [value], value.Shape, buffer);
        return buffer;
    }

    private DeviceArray DeviceValue(int slot)
    {
        if (deviceValues[slot] is { } present) return present;
        var variable = variables[slot];
        if (variable is SharedVariable shared) return deviceValues[slot] = DeviceReplica.Of(shared, device, transfers);
        var host = hostValues[slot] ?? (variable as Constant)?.data
            ?? throw new InvalidOperationException($"no value for {variable} in the device plan.");
        var buffer = uploads[slot];
        if (buffer is null || buffer.DType != host.DType || !buffer.Shape.SequenceEqual(host.shape))
        {
            buffer?.Memory.Dispose();
            uploads[slot] = buffer = DeviceArray.Allocate(device, host.DType, host.shape);
            uploaded[slot] = null;
        }
        // A constant goes up once; a value computed on the host goes up when it changes (a batch size does not); an
        // argument goes up every call (its array may have been written in place).
        var repeats = variable is Constant || (variable.owner is not null && host.size <= 1024);
        if (!repeats || uploaded[slot] is not { } last || !Same(last, host))
        {
            transfers.Upload(host, buffer);
            uploaded[slot] = repeats ? host.Copy() : null;
        }
        if (variable.owner is not null || variable is Constant) hostInputsRead.Add(slot);
        return deviceValues[slot] = buffer;
    }

    private static bool Same(NDArray a, NDArray b) => a.ToFlatArray<double>().AsSpan()
        .SequenceEqual(b.ToFlatArray<double>());

    private NDArray HostValue(int slot)
    {
        if (hostValues[slot] is { } host) return host;
        return hostValues[slot] = variables[slot] switch
        {
            Constant c => c.data,
            SharedVariable s when !s.ReplicaIsCurrent => s.Value,
            _ => transfers.Download(call!.Contiguous(DeviceValue(slot))),
        };
    }

    private int[] ShapeOf(int slot) =>
        deviceValues[slot]?.Shape ?? hostValues[slot]?.shape ?? variables[slot] switch
        {
            SharedVariable s => s.HostValueIfCurrent?.shape ?? s.Replica!.Shape,
            Constant c => c.data.shape,
            var v => DeviceValue(slot).Shape,
        };

    /// <summary>The inputs of the node being run, read through the executable's slots.</summary>
    private sealed class Operands(CudaExecutable owner) : IOperands
    {
        public Apply Node { get; set; } = null!;

        public DeviceArray this[int input] => owner.DeviceValue(owner.slotOf[Node.inputs[input]]);

        public NDArray Host(int input) => owner.HostValue(owner.slotOf[Node.inputs[input]]);

        public int Count => Node.inputs.Count;
    }
}
