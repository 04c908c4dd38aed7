using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// What <c>scan</c> does before the <see cref="Scan"/> op is made, as Theano's <c>scan()</c>: one placeholder per
/// tap of each sequence and fed-back output, a single call of the step function on them, the step's free variables
/// (shared variables and outer tensors it reads) turned into non-sequences, the number of steps from the sequences'
/// lengths and <c>n_steps</c>, and the outputs without their initial rows.
/// </summary>
internal sealed class ScanBuilder(string name)
{
    private readonly List<Variable> seqInner = [], seqOuter = [], lengths = [];
    private readonly List<(Variable[] Placeholders, int[] Taps, Variable Outer)?> fedBack = [];

    public (Variable[] Outputs, OrderedUpdates Updates) Build(ScanArgs? sequences, ScanArgs? outputsInfo,
        ScanArgs? nonSequences, Variable? nSteps, int truncateGradient, bool goBackwards,
        Func<Variable[], (Variable[] Outputs, IEnumerable<(SharedVariable, Variable)> Updates)> fn)
    {
        var seqs = sequences ?? [];
        for (var j = 0; j < seqs.Count; j++) AddSequence(j, seqs[j], goBackwards);
        var info = outputsInfo ?? [];
        for (var i = 0; i < info.Count; i++) AddOutput(i, info[i]);
        var explicitNonSeqs = (nonSequences ?? []).Select((e, p) => e is { variable: { } v, taps: null }
            ? v
            : throw new ArgumentException($"scan: non_sequences entry {p} must be a variable (non-sequences have no taps).")).ToArray();

        Variable[] stepArgs = [.. seqInner, .. fedBack.SelectMany(f => f?.Placeholders ?? []), .. explicitNonSeqs];
        var (outputs, stepUpdates) = fn(stepArgs);
        if (outputs.Length == 0) throw new ArgumentException("scan: the step function returned no outputs.");
        for (var o = 0; o < outputs.Length; o++)
        {
            if (outputs[o] is null) throw new ArgumentException($"scan: step output {o} is null.");
        }
        if (outputsInfo is not null && info.Count != outputs.Length)
            throw new ArgumentException(
                $"scan: the step function returned {outputs.Length} output(s), outputs_info has {info.Count} entries " +
                "(one per output; null for an output that is not fed back).");
        while (fedBack.Count < outputs.Length) fedBack.Add(null);
        var userOutputs = outputs.Length;
        outputs = FeedBackUpdates(outputs, WithDefaultUpdates(outputs, [.. stepUpdates]));

        var recurrent = Enumerable.Range(0, outputs.Length).Where(o => fedBack[o] is not null).ToArray();
        var notFedBack = Enumerable.Range(0, outputs.Length).Where(o => fedBack[o] is null).ToArray();
        var tapInner = recurrent.SelectMany(o => fedBack[o]!.Value.Placeholders).ToArray();
        var bound = new HashSet<Variable>([.. seqInner, .. tapInner], ReferenceEqualityComparer.Instance);
        Variable[] innerOutputs = [.. recurrent.Select(o => outputs[o]), .. notFedBack.Select(o => outputs[o])];

        // the step's free variables, explicit non-sequences first, become non-sequences read through placeholders
        var free = GraphWalk.Inputs(innerOutputs).Where(v => v is not Constant && !bound.Contains(v)).ToList();
        var nonSeqOuter = explicitNonSeqs.Where(v => v is not Constant).Distinct(ReferenceEqualityComparer.Instance)
            .Cast<Variable>().Where(v => free.Contains(v, ReferenceEqualityComparer.Instance)).ToList();
        nonSeqOuter.AddRange(free.Where(v => !nonSeqOuter.Contains(v, ReferenceEqualityComparer.Instance)));
        var replacements = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var v in nonSeqOuter) replacements[v] = new Variable(v.type, name: v.name);
        innerOutputs = StepTestValues.Off(() => GraphWalk.Replace(innerOutputs, replacements));

        if (nSteps is not null)
        {
            if (nSteps.ndim != 0 || !nSteps.type.dtype.IsInteger)
                throw new ArgumentException($"scan: n_steps must be an integer scalar, got {nSteps} of type {nSteps.type}.");
            lengths.Add(cast(nSteps, DType.Int64));
        }
        if (lengths.Count == 0)
            throw new ArgumentException("scan: no sequences and no n_steps, so the number of steps is unknown; give n_steps.");
        var steps = lengths.Aggregate(minimum);

        var layout = new ScanLayout(seqInner.Count,
            new Seq<Seq<int>>(recurrent.Select(o => new Seq<int>(fedBack[o]!.Value.Taps))), notFedBack.Length,
            nonSeqOuter.Count, truncateGradient, name);
        var inner = new InnerGraph([.. seqInner, .. tapInner, .. nonSeqOuter.Select(v => replacements[v])], innerOutputs);
        var node = new Scan(layout, inner).MakeNode(
            [steps, .. seqOuter, .. recurrent.Select(o => fedBack[o]!.Value.Outer), .. nonSeqOuter]);

        var results = new Variable[outputs.Length];
        for (var r = 0; r < recurrent.Length; r++)
            results[recurrent[r]] = node.outputs[r][slice(constant((long)layout.InitialRows(r)), null)];
        for (var q = 0; q < notFedBack.Length; q++) results[notFedBack[q]] = node.outputs[recurrent.Length + q];
        var updates = new OrderedUpdates();
        for (var u = userOutputs; u < outputs.Length; u++)
            updates.Add(((SharedVariable)fedBack[u]!.Value.Outer.owner!.inputs[0], results[u][constant(-1L)]));
        return (results[..userOutputs], updates);
    }

    /// <summary>
    /// Theano's scan: a shared variable the step reads that has a default update and no update from the step (the
    /// state of a <c>RandomStreams</c> draw) is updated by its default update at every step, so each step draws new
    /// numbers, and its final value is among the updates scan returns (which <c>function</c> must be given, as in
    /// Theano). Default updates' own graphs are searched too.
    /// </summary>
    private static (SharedVariable, Variable)[] WithDefaultUpdates(Variable[] outputs,
        (SharedVariable Variable, Variable Expression)[] updates)
    {
        var updated = updates.Select(u => u.Variable).ToHashSet(ReferenceEqualityComparer.Instance);
        var all = new List<(SharedVariable, Variable)>(updates);
        var pending = outputs.Concat(updates.Select(u => u.Expression)).ToList();
        while (pending.Count > 0)
        {
            var next = new List<Variable>();
            foreach (var input in GraphWalk.Inputs(pending))
            {
                if (input is not SharedVariable { default_update: { } update } shared || !updated.Add(shared)) continue;
                all.Add((shared, update));
                next.Add(update);
            }
            pending = next;
        }
        return [.. all];
    }

    /// <summary>
    /// Theano's shared outputs: a shared variable the step updates is a state of the loop, each step reading the value
    /// the previous one left, and its final value is the update scan returns.
    /// </summary>
    private Variable[] FeedBackUpdates(Variable[] outputs, (SharedVariable Variable, Variable Expression)[] updates)
    {
        var placeholders = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var (shared, expression) in updates)
        {
            if (expression.type.dtype != shared.type.dtype || expression.ndim != shared.ndim)
                throw new ArgumentException(
                    $"scan: the step updates shared variable {InputNames.Describe(shared)} ({shared.type}) with " +
                    $"{InputNames.Describe(expression)} of type {expression.type}; an update must keep the dtype and number of dimensions.");
            if (placeholders.ContainsKey(shared))
                throw new ArgumentException($"scan: the step updates shared variable {InputNames.Describe(shared)} twice.");
            var state = new Variable(shared.type, name: shared.name);
            placeholders[shared] = state;
            fedBack.Add(([state], [-1], dimshuffle(shared, ['x', .. Enumerable.Range(0, shared.ndim).Cast<object>()])));
        }
        return updates.Length == 0 ? outputs
            : StepTestValues.Off(() => GraphWalk.Replace([.. outputs, .. updates.Select(u => u.Expression)], placeholders));
    }

    private void AddSequence(int j, ScanEntry? entry, bool goBackwards)
    {
        if (entry is not { variable: { } x }) throw new ArgumentException($"scan: sequence {j} is null.");
        var taps = entry.taps ?? [0];
        if (taps.Length == 0) return;
        if (x.ndim == 0)
            throw new ArgumentException($"scan: sequence {j} ({InputNames.Describe(x)}) is a scalar; a sequence is iterated over its first axis.");
        var (low, high) = (taps.Min(), taps.Max());
        var span = high - low;
        if (KnownLength(x) is { } length && length <= span)
            throw new ArgumentException(
                $"scan: sequence {j} ({InputNames.Describe(x)}) has {length} rows; its taps [{string.Join(", ", taps)}] reach " +
                $"{span + 1} rows apart, so no step has all of them.");
        if (goBackwards) x = x[slice(null, null, constant(-1L))];
        var rows = shape(x)[0];
        foreach (var tap in taps)
        {
            var row = new Variable(new TensorType(x.type.dtype, x.type.broadcastable.Skip(1)),
                name: $"{Name(x, $"sequence{j}")}[t{Offset(tap)}]");
            StepTestValues.From(row, x, value => value[tap - low]);
            seqInner.Add(row);
            seqOuter.Add(span == 0 ? x
                : high == tap ? x[slice(constant((long)(tap - low)), null)]
                : x[slice(constant((long)(tap - low)), sub(rows, constant((long)(high - tap))))]);
        }
        lengths.Add(span == 0 ? rows : sub(rows, constant((long)span)));
    }

    private void AddOutput(int i, ScanEntry? entry)
    {
        if (entry is not { variable: { } init })
        {
            fedBack.Add(null);
            return;
        }
        var taps = entry.taps ?? [-1];
        if (taps.Length == 0 || taps.Any(t => t >= 0))
            throw new ArgumentException(
                $"scan: outputs_info entry {i} has taps [{string.Join(", ", taps)}]; an output's taps must be negative (-1 is the previous step).");
        var sorted = taps.Distinct().Order().ToArray();
        var rows = -sorted[0];
        Variable outer;
        TensorType state;
        if (sorted is [-1])
        {
            state = init.type;
            outer = dimshuffle(init, ['x', .. Enumerable.Range(0, init.ndim).Cast<object>()]);
        }
        else
        {
            if (init.ndim == 0)
                throw new ArgumentException($"scan: outputs_info entry {i} ({InputNames.Describe(init)}) with taps [{string.Join(", ", taps)}] needs its initial rows along a first axis.");
            if (KnownLength(init) is { } length && length < rows)
                throw new ArgumentException(
                    $"scan: outputs_info entry {i} ({InputNames.Describe(init)}) has {length} initial rows; tap {sorted[0]} reaches {rows} steps back.");
            state = new TensorType(init.type.dtype, init.type.broadcastable.Skip(1));
            outer = init[slice(null, constant((long)rows))];
        }
        var label = Name(init, $"output{i}");
        var placeholders = sorted.Select(t => new Variable(state, name: $"{label}[t{Offset(t)}]")).ToArray();
        for (var k = 0; k < sorted.Length; k++)
        {
            var tap = sorted[k];
            StepTestValues.From(placeholders[k], init, value => sorted is [-1] ? value : value[rows + tap]);
        }
        fedBack.Add((placeholders, sorted, outer));
    }

    private static string Offset(int tap) => tap == 0 ? "" : tap > 0 ? $"+{tap}" : $"{tap}";

    private static string Name(Variable v, string fallback) => v.name ?? fallback;

    /// <summary>The length of the first axis when the graph already knows it (a constant or shared value).</summary>
    private static int? KnownLength(Variable v) => v switch
    {
        Constant c when c.ndim > 0 => c.data.Dims[0],
        SharedVariable s when s.ndim > 0 => s.get_value(borrow: true).Dims[0],
        _ => null,
    };
}
