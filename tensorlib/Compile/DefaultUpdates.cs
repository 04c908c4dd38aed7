namespace Theon.Compile;

/// <summary>Theano's <c>rebuild_collect_shared</c> for default updates.</summary>
internal static class DefaultUpdates
{
    /// <summary>
    /// The updates <c>(v, v.default_update)</c> for every shared variable <paramref name="graph"/> reads (after
    /// <paramref name="givens"/>) that has a default update, no explicit one and is not skipped; the default
    /// updates' own graphs are searched too.
    /// </summary>
    public static List<(SharedVariable, Variable)> Collect(IReadOnlyList<Variable> graph,
        IReadOnlyList<(SharedVariable, Variable)> explicitUpdates, IReadOnlyDictionary<Variable, Variable> givens,
        NoDefaultUpdates skip)
    {
        var updated = explicitUpdates.Select(u => u.Item1).ToHashSet(ReferenceEqualityComparer.Instance);
        var found = new List<(SharedVariable, Variable)>();
        var pending = new List<Variable>(graph);
        while (pending.Count > 0)
        {
            var next = new List<Variable>();
            foreach (var input in GraphWalk.Inputs(GraphWalk.Replace(pending, givens)))
            {
                if (input is not SharedVariable { default_update: { } update } shared || skip.Skips(shared)) continue;
                if (!updated.Add(shared)) continue;
                if (update.owner?.op is Ops.Random.RandomOp && ScanState(pending, shared) is { } scan)
                    throw new ArgumentException(
                        $"function: {scan.op.Name} advances {Ops.InputNames.Describe(shared)} at every step (a random " +
                        "draw's state in its step); give function the updates scan returned, as in Theano, or name the " +
                        "variable in no_default_updates.");
                found.Add((shared, update));
                next.Add(update);
            }
            pending = next;
        }
        return found;
    }

    /// <summary>A scan in <paramref name="graph"/> whose loop carries <paramref name="shared"/> (a random draw's
    /// state) as a state, which scan's own update, not the draw's default one, must advance.</summary>
    private static Apply? ScanState(IReadOnlyList<Variable> graph, SharedVariable shared) =>
        GraphWalk.TopoSort(graph).FirstOrDefault(n => n.op is Ops.Scan scan && Enumerable.Range(0, scan.Layout.Recurrent)
            .Any(i => n.inputs[scan.Layout.FirstInit + i].owner is { op: Ops.DimShuffle } row
                && ReferenceEquals(row.inputs[0], shared)));
}
