using Theon.Compile;

namespace Theon;

/// <summary>A <c>function</c> input that no output or update uses (Theano's <c>UnusedInputError</c>).</summary>
public sealed class UnusedInputError(string message) : ArgumentException(message);

public static partial class T
{
    /// <summary>
    /// Compiles a function of <paramref name="inputs"/> computing one output. <paramref name="updates"/> pairs a shared
    /// variable with the expression of its next value (computed from the old values); <paramref name="givens"/>
    /// substitutes graphs for variables (e.g. a minibatch slice of a shared dataset for an input matrix).
    /// <paramref name="backend"/> overrides <c>config.backend</c>; with <paramref name="borrow"/> the outputs are the
    /// function's own buffers, overwritten by the next call (Theano's <c>borrow=True</c>). An input that no output
    /// or update uses raises <see cref="UnusedInputError"/>, is reported on standard error, or is accepted, as
    /// <paramref name="on_unused_input"/> is "raise", "warn" or "ignore".
    /// </summary>
    public static Function function(IReadOnlyList<Variable> inputs, Variable outputs,
        IEnumerable<(SharedVariable, Variable)>? updates = null, IEnumerable<(Variable, Variable)>? givens = null,
        string? backend = null, bool borrow = false, string on_unused_input = "raise",
        NoDefaultUpdates no_default_updates = default)
    {
        var compiled = Compile(inputs, [outputs], updates, givens, backend, borrow, on_unused_input, no_default_updates);
        return compiled.CallSingle;
    }

    /// <summary>Compiles a function computing several outputs, returned as an array that deconstructs.</summary>
    public static FunctionN function(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs,
        IEnumerable<(SharedVariable, Variable)>? updates = null, IEnumerable<(Variable, Variable)>? givens = null,
        string? backend = null, bool borrow = false, string on_unused_input = "raise",
        NoDefaultUpdates no_default_updates = default)
    {
        var compiled = Compile(inputs, outputs, updates, givens, backend, borrow, on_unused_input, no_default_updates);
        return compiled.Call;
    }

    public static string pp(Variable v) => Printing.PrettyPrinter.Print(v);

    /// <summary>The optimized graph of a compiled function; several outputs are printed one per line.</summary>
    public static string pp(Delegate f) =>
        string.Join("\n", CompiledFunction.Of(f).OptimizedOutputs.Select(Printing.PrettyPrinter.Print));

    public static string debugprint(Variable v) => Printing.DebugPrinter.Print([v]);

    public static string debugprint(IReadOnlyList<Variable> outputs) => Printing.DebugPrinter.Print(outputs);

    /// <summary>The optimized graph of a compiled function, with each node's position in the execution order.</summary>
    public static string debugprint(Delegate f)
    {
        var compiled = CompiledFunction.Of(f);
        return Printing.DebugPrinter.Print(compiled.OptimizedOutputs, GraphWalk.TopoSort(compiled.OptimizedOutputs));
    }

    private static CompiledFunction Compile(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs,
        IEnumerable<(SharedVariable, Variable)>? updates, IEnumerable<(Variable, Variable)>? givens,
        string? backendName, bool borrow, string onUnusedInput, NoDefaultUpdates noDefaultUpdates)
    {
        if (onUnusedInput is not ("raise" or "warn" or "ignore"))
            throw new ArgumentException(
                $"on_unused_input must be \"raise\", \"warn\" or \"ignore\", got \"{onUnusedInput}\".");
        return Compile(inputs, outputs, updates, givens, Backend.Named(backendName ?? config.backend), borrow,
            onUnusedInput, noDefaultUpdates);
    }

    internal static CompiledFunction Compile(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs,
        IEnumerable<(SharedVariable, Variable)>? updates, IEnumerable<(Variable, Variable)>? givens,
        Backend backend, bool borrow, string onUnusedInput = "ignore", NoDefaultUpdates noDefaultUpdates = default)
    {
        var updateList = (updates ?? []).ToList();
        var givenList = (givens ?? []).ToList();
        CheckInputs(inputs);
        CheckUpdates(updateList);
        var replacements = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var (variable, replacement) in givenList)
        {
            if (inputs.Contains(variable))
                throw new ArgumentException(
                    $"givens: {variable} is an input of the function, and replacing an input has no effect; make a " +
                    $"new input y and give {variable} as an expression of it " +
                    "(function([y], f(x), givens: [(x, g(y))])).");
            if (variable.ndim != replacement.ndim || variable.type.dtype != replacement.type.dtype)
                throw new ArgumentException($"givens: {variable} of type {variable.type} cannot be replaced by {replacement} of type {replacement.type}.");
            replacements[variable] = replacement;
        }
        var defaults = DefaultUpdates.Collect([.. outputs, .. updateList.Select(u => u.Item2)], updateList, replacements,
            noDefaultUpdates);
        CheckUpdates(defaults);
        updateList.AddRange(defaults);
        var all = GraphWalk.Replace([.. outputs, .. updateList.Select(u => u.Item2)], replacements);
        var userOutputs = all[..outputs.Count];
        var updated = updateList.Select((u, i) => (u.Item1, all[outputs.Count + i])).ToList();
        CheckMissingInputs(inputs, all);
        CheckUnusedInputs(inputs, all, onUnusedInput);
        var nodesBefore = GraphWalk.TopoSort(all).Count;
        var (optimized, lowered, rewrites) = Optimizer.Optimize(all, backend.Phases);
        return new CompiledFunction(inputs, userOutputs, updated, optimized, lowered, rewrites, nodesBefore, backend,
            borrow);
    }

    private static void CheckInputs(IReadOnlyList<Variable> inputs)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var v = inputs[i];
            if (v is Constant or SharedVariable || v.owner is not null)
                throw new ArgumentException($"function: input {i} ({v}) must be a symbolic input variable, not a constant, shared variable or computed expression.");
            if (inputs.Take(i).Contains(v)) throw new ArgumentException($"function: input {i} ({v}) is listed twice.");
        }
    }

    private static void CheckUpdates(List<(SharedVariable, Variable)> updates)
    {
        foreach (var (variable, expression) in updates)
        {
            if (expression.type.dtype != variable.type.dtype || expression.ndim != variable.ndim)
                throw new ArgumentException(
                    $"updates: the update of shared variable {variable} ({variable.type}) has type {expression.type}; an update must have the same dtype and number of dimensions (cast it).");
            if (expression.type.broadcastable.Where((b, a) => variable.type.broadcastable[a] && !b).Any())
                throw new ArgumentException(
                    $"updates: the update of shared variable {variable} ({variable.type}) has type {expression.type}, which may change a broadcastable axis.");
        }
        var repeated = updates.GroupBy(u => u.Item1).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"updates: shared variable {repeated.Key} is updated twice.");
    }

    /// <summary>Theano's <c>FunctionMaker._check_unused_inputs</c>: every input must reach an output or update
    /// (after the givens are substituted).</summary>
    private static void CheckUnusedInputs(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> graph, string mode)
    {
        if (mode == "ignore") return;
        var used = GraphWalk.Inputs(graph).ToHashSet(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (used.Contains(inputs[i])) continue;
            var message = $"function: input {i} ({inputs[i]}, {inputs[i].type}) is not used by any output or update; " +
                          "remove it, or pass on_unused_input: \"warn\" or \"ignore\".";
            if (mode == "raise") throw new UnusedInputError(message);
            Console.Error.WriteLine($"Warning: {message}");
        }
    }

    private static void CheckMissingInputs(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs)
    {
        foreach (var v in GraphWalk.Inputs(outputs))
        {
            if (v is Constant or SharedVariable || inputs.Contains(v)) continue;
            throw new ArgumentException(
                $"function: the outputs depend on {v} ({v.type}), which is not among the inputs; add it to the inputs or replace it through givens.");
        }
    }
}

/// <summary>Deconstruction of the arrays that <c>grad</c> and multi-output functions return.</summary>
public static class ArrayDeconstruction
{
    public static void Deconstruct<TItem>(this TItem[] items, out TItem a, out TItem b) =>
        (a, b) = (Item(items, 0, 2), items[1]);

    public static void Deconstruct<TItem>(this TItem[] items, out TItem a, out TItem b, out TItem c) =>
        (a, b, c) = (Item(items, 0, 3), items[1], items[2]);

    public static void Deconstruct<TItem>(this TItem[] items, out TItem a, out TItem b, out TItem c, out TItem d) =>
        (a, b, c, d) = (Item(items, 0, 4), items[1], items[2], items[3]);

    public static void Deconstruct<TItem>(this TItem[] items, out TItem a, out TItem b, out TItem c, out TItem d, out TItem e) =>
        (a, b, c, d, e) = (Item(items, 0, 5), items[1], items[2], items[3], items[4]);

    public static void Deconstruct<TItem>(this TItem[] items, out TItem a, out TItem b, out TItem c, out TItem d, out TItem e, out TItem f) =>
        (a, b, c, d, e, f) = (Item(items, 0, 6), items[1], items[2], items[3], items[4], items[5]);

    private static TItem Item<TItem>(TItem[] items, int index, int expected) =>
        items.Length == expected
            ? items[index]
            : throw new ArgumentException($"cannot deconstruct {items.Length} item(s) into {expected} variables.");
}
