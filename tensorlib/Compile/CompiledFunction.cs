namespace Theon;

/// <summary>A compiled function with one output, called as in Theano: <c>f(1.5, 3)</c>.</summary>
public delegate NDArray Function(params object[] args);

/// <summary>A compiled function with several outputs; the result deconstructs: <c>var (a, b) = f(x);</c>.</summary>
public delegate NDArray[] FunctionN(params object[] args);

/// <summary>Where a host (a notebook kernel) asks running compiled functions to stop.</summary>
public static class Interrupts
{
    public static CancellationToken Token { get; set; }
}

/// <summary>
/// What <c>function(...)</c> built: the graph it was compiled from, the optimized graph, the rewrites applied, and
/// the call itself. Reach it from a delegate with <see cref="Of"/>.
/// </summary>
public sealed class CompiledFunction
{
    private readonly Compile.Evaluator evaluator;
    private readonly (SharedVariable Variable, int Output)[] updateSlots;

    internal CompiledFunction(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs,
        IReadOnlyList<(SharedVariable Variable, Variable Expression)> updates, IReadOnlyList<Variable> optimized,
        IReadOnlyList<string> rewrites, int nodesBefore)
    {
        Inputs = inputs;
        Outputs = outputs;
        Updates = updates;
        OptimizedOutputs = optimized;
        RewritesApplied = rewrites;
        evaluator = new Compile.Evaluator(optimized);
        NodesBefore = nodesBefore;
        updateSlots = [.. updates.Select((u, i) => (u.Variable, outputs.Count + i))];
    }

    public IReadOnlyList<Variable> Inputs { get; }

    /// <summary>The outputs as the user wrote them (after givens), before optimization.</summary>
    public IReadOnlyList<Variable> Outputs { get; }

    public IReadOnlyList<(SharedVariable Variable, Variable Expression)> Updates { get; }

    /// <summary>The optimized outputs followed by the optimized update expressions.</summary>
    public IReadOnlyList<Variable> OptimizedOutputs { get; }

    /// <summary>The names of the rewrites that fired, in order, with repeats.</summary>
    public IReadOnlyList<string> RewritesApplied { get; }

    public int NodesBefore { get; }

    public int NodesAfter => evaluator.Schedule.Count;

    /// <summary>The optimized nodes in execution order.</summary>
    public IReadOnlyList<Apply> Schedule => evaluator.Schedule;

    public static CompiledFunction Of(Delegate f) =>
        f.Target as CompiledFunction ?? throw new ArgumentException("not a function compiled by Theon's function(...).", nameof(f));

    /// <summary>
    /// Runs the function. Arguments are checked and converted first; updates are applied together, and only after
    /// every output and update has been computed and checked, so a call that throws changes no shared variable.
    /// </summary>
    public NDArray[] Call(object[] args)
    {
        if (args.Length != Inputs.Count)
            throw new ArgumentException($"the function takes {Inputs.Count} argument(s) ({string.Join(", ", Inputs.Select(Describe))}), got {args.Length}.");
        var values = new Dictionary<Variable, NDArray>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < args.Length; i++)
        {
            var input = Inputs[i];
            var value = input.type.Filter(args[i], $"argument {i} ({Describe(input)})");
            CheckFinite(value, input, i);
            values[input] = value;
        }
        foreach (var v in evaluator.GraphInputs)
        {
            if (v is SharedVariable s) values[s] = s.Value;
            else if (v is Constant c) values[c] = c.data;
        }
        var results = evaluator.Run(values, Interrupts.Token);
        foreach (var (variable, output) in updateSlots)
        {
            var value = results[output];
            if (!value.shape.SequenceEqual(variable.Value.shape))
                throw new ArgumentException(
                    $"the update of shared variable {variable} computed a value of shape {NDArray.ShapeString(value.shape)}, but the variable has shape {NDArray.ShapeString(variable.Value.shape)}; no shared variable was changed.");
        }
        foreach (var (variable, output) in updateSlots) variable.Assign(results[output].DType == variable.type.dtype ? results[output] : results[output].astype(variable.type.dtype));
        return results[..Outputs.Count];
    }

    internal NDArray CallSingle(object[] args) => Call(args)[0];

    private static string Describe(Variable v) => v.name is null ? v.type.ToString() : $"'{v.name}', {v.type}";

    private static void CheckFinite(NDArray value, Variable input, int i)
    {
        if (!value.DType.IsFloat) return;
        foreach (var x in value.ToFlatArray<double>())
        {
            if (double.IsNaN(x)) throw new ArgumentException($"argument {i} ({Describe(input)}) contains NaN.");
        }
    }
}
