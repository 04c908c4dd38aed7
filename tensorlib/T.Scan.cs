using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>
    /// Theano's <c>scan</c>: a symbolic loop. <paramref name="fn"/> is called once, on placeholders, to build the
    /// step; its arguments are, in order, each sequence's row at every tap, each fed-back output's earlier values at
    /// every tap, then the non-sequences. <paramref name="outputs_info"/> gives, per output, its initial state (taps
    /// -1 by default, or <c>dict(initial: x0, taps: [-2, -1])</c>) or null for an output that is not fed back.
    /// Shared variables and other outer tensors the step reads become non-sequences by themselves. The number of
    /// steps is the shortest sequence (less its taps' span) and <paramref name="n_steps"/>, whichever is smaller.
    /// Returns each output's rows, one per step, and the updates to pass to <c>function</c>.
    /// </summary>
    public static (Variable outputs, OrderedUpdates updates) scan(Func<Variable, Variable> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        One(Scan(a => [fn(Arg(a, 0, 1))], sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name));

    public static (Variable outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        One(Scan(a => [fn(Arg(a, 0, 2), a[1])], sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name));

    public static (Variable outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable, Variable> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        One(Scan(a => [fn(Arg(a, 0, 3), a[1], a[2])], sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name));

    public static (Variable outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable, Variable, Variable> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        One(Scan(a => [fn(Arg(a, 0, 4), a[1], a[2], a[3])], sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name));

    /// <summary>A step with several outputs: returns one variable per output, in order.</summary>
    public static (Variable[] outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable[]> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        Scan(a => fn(Arg(a, 0, 2), a[1]), sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name);

    public static (Variable[] outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable, Variable[]> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        Scan(a => fn(Arg(a, 0, 3), a[1], a[2]), sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name);

    public static (Variable[] outputs, OrderedUpdates updates) scan(Func<Variable, Variable, Variable, Variable, Variable[]> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        Scan(a => fn(Arg(a, 0, 4), a[1], a[2], a[3]), sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name);

    /// <summary>Any number of step arguments, in scan's order, and any number of outputs.</summary>
    public static (Variable[] outputs, OrderedUpdates updates) scan(Func<Variable[], Variable[]> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        Scan(fn, sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name);

    /// <summary>
    /// A step that also updates shared variables (Theano's step returning <c>(outputs, updates)</c>): each step reads the
    /// value the previous step left, and the returned updates install the value after the last step.
    /// </summary>
    public static (Variable[] outputs, OrderedUpdates updates) scan(
        Func<Variable[], (Variable[] outputs, (SharedVariable, Variable)[] updates)> fn,
        ScanArgs? sequences = null, ScanArgs? outputs_info = null, ScanArgs? non_sequences = null,
        Variable? n_steps = null, int truncate_gradient = -1, bool go_backwards = false, string name = "scan_fn") =>
        Scan(a => fn(a), sequences, outputs_info, non_sequences, n_steps, truncate_gradient, go_backwards, name);

    /// <summary>Theano's <c>dict(input=x, taps=[...])</c>: a sequence read at several offsets from the current step.</summary>
    public static ScanEntry dict(Variable input, int[] taps) => new(input, taps);

    /// <summary>Theano's <c>dict(initial=x0, taps=[...])</c>: an output fed back from several earlier steps; x0 holds
    /// one initial row per step back.</summary>
    public static ScanEntry dict(int[] taps, Variable initial) => new(initial, taps);

    private static (Variable[] outputs, OrderedUpdates updates) Scan(Func<Variable[], Variable[]> fn, ScanArgs? sequences,
        ScanArgs? outputsInfo, ScanArgs? nonSequences, Variable? nSteps, int truncateGradient, bool goBackwards, string name) =>
        Scan(a => (fn(a), []), sequences, outputsInfo, nonSequences, nSteps, truncateGradient, goBackwards, name);

    private static (Variable[] outputs, OrderedUpdates updates) Scan(
        Func<Variable[], (Variable[] Outputs, IEnumerable<(SharedVariable, Variable)> Updates)> fn, ScanArgs? sequences,
        ScanArgs? outputsInfo, ScanArgs? nonSequences, Variable? nSteps, int truncateGradient, bool goBackwards, string name)
    {
        if (truncateGradient == 0 || truncateGradient < -1)
            throw new ArgumentException($"scan: truncate_gradient must be -1 (all steps) or positive, got {truncateGradient}.");
        return new ScanBuilder(name).Build(sequences, outputsInfo, nonSequences, nSteps, truncateGradient, goBackwards, fn);
    }

    private static Variable Arg(Variable[] args, int index, int arity) => args.Length == arity ? args[index]
        : throw new ArgumentException(
            $"scan: the step function takes {arity} argument(s), but scan passes {args.Length} (each sequence tap, each " +
            "fed-back output tap, then each non-sequence); give it that many, or take Variable[].");

    private static (Variable outputs, OrderedUpdates updates) One((Variable[] outputs, OrderedUpdates updates) result) =>
        result.outputs.Length == 1 ? (result.outputs[0], result.updates)
            : throw new ArgumentException($"scan: the step returned {result.outputs.Length} outputs; use a step that returns Variable[].");
}
