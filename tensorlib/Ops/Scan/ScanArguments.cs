using System.Collections;

namespace Theon;

/// <summary>
/// One entry of scan's <c>sequences</c> or <c>outputs_info</c>: a variable with its taps, Theano's
/// <c>dict(input=x, taps=[-1, 0])</c> and <c>dict(initial=x0, taps=[-2, -1])</c>; made by <c>T.dict</c> or, with the
/// default taps, from a plain variable.
/// </summary>
public sealed record ScanEntry(Variable? variable, int[]? taps)
{
    public static implicit operator ScanEntry(Variable variable) => new(variable, null);
}

/// <summary>The list given as scan's <c>sequences</c>, <c>outputs_info</c> or <c>non_sequences</c>: one variable or
/// several, and for outputs_info null entries (outputs not fed back).</summary>
public sealed class ScanArgs : IEnumerable<ScanEntry?>
{
    private readonly List<ScanEntry?> entries = [];

    public void Add(ScanEntry? entry) => entries.Add(entry);

    public int Count => entries.Count;

    public ScanEntry? this[int index] => entries[index];

    public static implicit operator ScanArgs(Variable variable) => [variable];

    public static implicit operator ScanArgs(ScanEntry entry) => [entry];

    public static implicit operator ScanArgs(Variable?[] variables)
    {
        var args = new ScanArgs();
        foreach (var v in variables) args.Add(v is null ? null : new ScanEntry(v, null));
        return args;
    }

    public IEnumerator<ScanEntry?> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The updates scan returns (Theano's <c>OrderedUpdates</c>): pairs of a shared variable and its new value, in
/// order, accepted by <c>function(..., updates:)</c> and spread into a longer list with <c>[.. updates, (w, ...)]</c>.
/// </summary>
public sealed class OrderedUpdates : IEnumerable<(SharedVariable, Variable)>
{
    private readonly List<(SharedVariable, Variable)> pairs = [];

    public void Add((SharedVariable, Variable) update)
    {
        if (pairs.Any(p => ReferenceEquals(p.Item1, update.Item1)))
            throw new ArgumentException($"updates: shared variable {update.Item1} is updated twice.");
        pairs.Add(update);
    }

    public int Count => pairs.Count;

    public IEnumerator<(SharedVariable, Variable)> GetEnumerator() => pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
