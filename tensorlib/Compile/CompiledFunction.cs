using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Theon.Compile;

namespace Theon;

/// <summary>A compiled function with one output, called as in Theano: <c>f(1.5, 3)</c>.</summary>
public delegate NDArray Function(params object[] args);

/// <summary>A compiled function with several outputs; the result deconstructs: <c>var (a, b) = f(x);</c>.</summary>
public delegate NDArray[] FunctionN(params object[] args);

/// <summary>
/// What <c>function(...)</c> built: the graph it was compiled from, the optimized graph, the rewrites applied, the
/// backend's executable and the call itself. Reach it from a delegate with <see cref="Of"/>. Calls are serialized:
/// the executable's buffers are reused from call to call.
/// </summary>
public sealed class CompiledFunction
{
    private readonly Executable executable;
    private readonly object gate = new();
    private readonly int[] argumentOf;     // graph input -> index of the argument, or -1 for shared and constants
    private readonly NDArray[] graphValues;
    private readonly NDArray[] results;
    private readonly NDArray[] borrowedOutputs;
    private readonly UpdateTarget[] updateTargets;
    private readonly InPlaceTarget[] inPlaceTargets;
    private readonly SharedVariable[] stagedVariables;   // the updates the executable stages, in its order
    private readonly bool[] checkedWhileRunning;   // per argument: its NaN check is folded into the executable's loops

    internal CompiledFunction(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs,
        IReadOnlyList<(SharedVariable Variable, Variable Expression)> updates, IReadOnlyList<Variable> optimized,
        IReadOnlyList<Variable> lowered, IReadOnlyList<string> rewrites, int nodesBefore, Backend backend, bool borrow)
    {
        Inputs = inputs;
        Outputs = outputs;
        Updates = updates;
        OptimizedOutputs = optimized;
        LoweredOutputs = lowered;
        RewritesApplied = rewrites;
        Backend = backend;
        Borrow = borrow;
        NodesBefore = nodesBefore;
        // The executable computes the outputs, the operands of the updates run in place, then the other updates.
        var inPlace = InPlaceUpdate.Find(updates, lowered.Skip(outputs.Count).ToArray(), backend);
        var others = Enumerable.Range(0, updates.Count).Where(u => inPlace.All(p => p.Update != u)).ToArray();
        InPlaceUpdates = inPlace;
        Variable[] executed = [.. lowered.Take(outputs.Count), .. inPlace.SelectMany(p => p.Operands),
            .. others.Select(u => lowered[outputs.Count + u])];
        stagedVariables = [.. others.Select(u => updates[u].Variable)];
        executable = backend.Build(executed, stagedVariables, inPlace);
        argumentOf = [.. executable.GraphInputs.Select(v => GraphWalk.IndexOf(inputs, v))];
        graphValues = new NDArray[argumentOf.Length];
        results = new NDArray[executed.Length];
        borrowedOutputs = new NDArray[outputs.Count];
        var firstOperand = outputs.Count;
        inPlaceTargets = new InPlaceTarget[inPlace.Length];
        for (var k = 0; k < inPlace.Length; k++)
        {
            inPlaceTargets[k] = new InPlaceTarget(inPlace[k], firstOperand);
            firstOperand += inPlace[k].Operands.Count;
        }
        updateTargets = [.. stagedVariables.Select((v, k) => new UpdateTarget(v, firstOperand + k))];
        checkedWhileRunning = new bool[inputs.Count];
        for (var g = 0; g < argumentOf.Length; g++)
        {
            if (argumentOf[g] >= 0 && inputs[argumentOf[g]].type.dtype.IsFloat)
                checkedWhileRunning[argumentOf[g]] = executable.CheckNaNWhileRunning(g);
        }
    }

    /// <summary>The arguments whose NaN check runs inside the backend's loops rather than as a pass of its
    /// own.</summary>
    internal IEnumerable<Variable> ArgumentsCheckedWhileRunning =>
        Inputs.Where((_, i) => checkedWhileRunning[i]);

    public IReadOnlyList<Variable> Inputs { get; }

    /// <summary>The outputs as the user wrote them (after givens), before optimization.</summary>
    public IReadOnlyList<Variable> Outputs { get; }

    public IReadOnlyList<(SharedVariable Variable, Variable Expression)> Updates { get; }

    /// <summary>The updates that run in place: <c>inc_subtensor</c> or <c>set_subtensor</c> of the variable
    /// itself, written into its buffer after every check instead of computed as a new value.</summary>
    internal IReadOnlyList<InPlaceUpdate> InPlaceUpdates { get; }

    /// <summary>
    /// The optimized outputs followed by the optimized update expressions, independent of the backend: what
    /// <c>pp(f)</c> and <c>debugprint(f)</c> show.
    /// </summary>
    public IReadOnlyList<Variable> OptimizedOutputs { get; }

    /// <summary>
    /// The graph the backend runs, after its own phases (the CPU backend's fused loops and GEMM calls).
    /// </summary>
    public IReadOnlyList<Variable> LoweredOutputs { get; }

    /// <summary>The names of the rewrites that fired, in order, with repeats.</summary>
    public IReadOnlyList<string> RewritesApplied { get; }

    /// <summary>The backend that runs the optimized graph ("reference", "cpu" or "cuda").</summary>
    public Backend Backend { get; }

    /// <summary>
    /// Theano's <c>borrow=True</c> on the outputs: the arrays returned are the function's own buffers (and the
    /// returned array of outputs is reused), valid until the next call. Without it every call returns fresh copies.
    /// </summary>
    public bool Borrow { get; }

    public int NodesBefore { get; }

    internal Executable Executable => executable;

    public int NodesAfter => executable.Schedule.Count;

    /// <summary>The nodes the backend runs (of <see cref="LoweredOutputs"/>), in execution order.</summary>
    public IReadOnlyList<Apply> Schedule => executable.Schedule;

    /// <summary>The same function (its givens already applied) compiled again for <paramref name="backend"/>; its
    /// updates already hold the default updates it took.</summary>
    internal CompiledFunction On(Backend backend) => T.Compile(Inputs, Outputs, Updates.Select(u => (u.Variable,
        u.Expression)), null, backend, Borrow, noDefaultUpdates: true);

    public static CompiledFunction Of(Delegate f) =>
        f.Target as CompiledFunction ?? throw new ArgumentException(
            "not a function compiled by Theon's function(...).", nameof(f));

    /// <summary>
    /// Runs the function. Arguments are checked and converted first; updates are applied together, in place on the
    /// shared variables' buffers, and only after every output and update has been computed and checked, so a call
    /// that throws changes no shared variable. An update by <c>inc_subtensor</c>/<c>set_subtensor</c> of the
    /// variable itself is checked with the others and then written into the variable's buffer
    /// (<see cref="InPlaceUpdates"/>).
    /// </summary>
    public NDArray[] Call(object[] args)
    {
        lock (gate)
        {
            var outputs = Borrow ? borrowedOutputs : new NDArray[Outputs.Count];
            Execute(args, outputs);
            return outputs;
        }
    }

    internal NDArray CallSingle(object[] args)
    {
        lock (gate)
        {
            Execute(args, borrowedOutputs);
            return borrowedOutputs[0];
        }
    }

    /// <summary>
    /// Runs the graph, takes the outputs (copies, or with <see cref="Borrow"/> the buffers themselves unless an
    /// update is about to overwrite them) and then installs the updates.
    /// </summary>
    private void Execute(object[] args, NDArray[] outputs)
    {
        if (args.Length != Inputs.Count)
        {
            var expected = string.Join(", ", Inputs.Select(Describe));
            throw new ArgumentException(
                $"the function takes {Inputs.Count} argument(s) ({expected}), got {args.Length}.");
        }
        for (var g = 0; g < graphValues.Length; g++)
        {
            var a = argumentOf[g];
            graphValues[g] = a >= 0 ? Argument(a, args[a]) : executable.GraphInputs[g] switch
            {
                SharedVariable s => s.Value,
                Constant c => c.data,
                var v => throw new InvalidOperationException($"no value for the graph input {v}."),
            };
        }
        for (var i = 0; i < args.Length; i++)
        {
            if (!argumentOf.Contains(i)) Argument(i, args[i]);   // unused inputs are still checked
        }
        try
        {
            RunChecked();
            if (executable.StagesUpdates)
            {
                for (var u = 0; u < stagedVariables.Length; u++)
                    UpdateTarget.Check(stagedVariables[u], executable.StagedShape(u));
            }
            else
            {
                foreach (var target in inPlaceTargets) target.Check(results);
            }
            for (var i = 0; i < outputs.Length; i++)
            {
                var value = results[i];
                outputs[i] = Borrow && !UpdateTarget.Overwrites(updateTargets, inPlaceTargets, value)
                    ? value : value.Copy();
            }
            if (executable.StagesUpdates) executable.InstallStaged();
            else UpdateTarget.ApplyAll(updateTargets, inPlaceTargets, results);
        }
        catch
        {
            executable.DiscardStaged();
            foreach (var target in inPlaceTargets) target.Discard();
            throw;
        }
        finally
        {
            Array.Clear(graphValues);
        }
    }

    /// <summary>
    /// Runs the executable, then looks for the NaN that its loops may have seen in an argument they checked. A NaN in
    /// such an argument is the error reported, also when the run failed for another reason, as if it had been found
    /// before the run.
    /// </summary>
    private void RunChecked()
    {
        try
        {
            executable.Run(graphValues, results, Interrupts.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CheckArgumentsCheckedWhileRunning();
            throw;
        }
        if (executable.MayHaveSeenNaN) CheckArgumentsCheckedWhileRunning();
    }

    private void CheckArgumentsCheckedWhileRunning()
    {
        for (var g = 0; g < graphValues.Length; g++)
        {
            var a = argumentOf[g];
            if (a >= 0 && checkedWhileRunning[a]) CheckFinite(graphValues[g], Inputs[a], a);
        }
    }

    /// <summary>Checks and converts argument <paramref name="i"/>; an array of the right type passes without a
    /// copy.</summary>
    private NDArray Argument(int i, object arg)
    {
        var input = Inputs[i];
        var value = arg is NDArray a && Fits(a, input.type) ? a : input.type.Filter(arg,
            $"argument {i} ({Describe(input)})");
        if (!checkedWhileRunning[i]) CheckFinite(value, input, i);
        return value;
    }

    private static bool Fits(NDArray a, TensorType type)
    {
        if (a.DType != type.dtype || a.ndim != type.ndim) return false;
        for (var axis = 0; axis < a.ndim; axis++)
        {
            if (type.broadcastable[axis] && a.Dims[axis] != 1) return false;
        }
        return true;
    }

    private static string Describe(Variable v) => v.name is null ? v.type.ToString() : $"'{v.name}', {v.type}";

    private static void CheckFinite(NDArray value, Variable input, int i)
    {
        if (!value.DType.IsFloat) return;
        var hasNaN = value.IsContiguous && value.DType == DType.Float64 ? HasNaN(value.Span<double>())
            : value.IsContiguous && value.DType == DType.Float32 ? HasNaN(value.Span<float>())
            : value.ToFlatArray<double>().Any(double.IsNaN);
        if (hasNaN) throw new ArgumentException($"argument {i} ({Describe(input)}) contains NaN.");
    }

    // A NaN is the only value not equal to itself. This pass reads every argument that no loop checks while computing
    // on every call, so it is written to run at memory bandwidth: four vectors a step, their "not equal to itself"
    // masks OR-ed, one branch per step.
    private static bool HasNaN<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = MemoryMarshal.Cast<T, Vector256<T>>(values);
        var i = 0;
        for (; i + 4 <= vectors.Length; i += 4)
        {
            var nan = ~Vector256.Equals(vectors[i], vectors[i])
                      | ~Vector256.Equals(vectors[i + 1], vectors[i + 1])
                      | ~Vector256.Equals(vectors[i + 2], vectors[i + 2])
                      | ~Vector256.Equals(vectors[i + 3], vectors[i + 3]);
            if (nan != Vector256<T>.Zero) return true;
        }
        for (; i < vectors.Length; i++)
        {
            if (!Vector256.EqualsAll(vectors[i], vectors[i])) return true;
        }
        foreach (var x in values[(vectors.Length * Vector256<T>.Count)..])
        {
            if (T.IsNaN(x)) return true;
        }
        return false;
    }
}
