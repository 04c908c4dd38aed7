using System.Text;

namespace Theon.Printing;

/// <summary>
/// Theano's <c>debugprint</c>: one line per variable, children indented under <c>|</c>, each node with an id
/// (<c>[id A]</c>) and printed once; later uses show the id only.
/// </summary>
public static class DebugPrinter
{
    public static string Print(IReadOnlyList<Variable> outputs, IReadOnlyList<Apply>? schedule = null)
    {
        var text = new StringBuilder();
        var ids = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<Apply>(ReferenceEqualityComparer.Instance);
        Dictionary<Apply, int>? order = null;
        if (schedule is not null)
        {
            order = new Dictionary<Apply, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < schedule.Count; i++) order[schedule[i]] = i;
        }
        foreach (var output in outputs) Print(output, "", "", text, ids, done, order);
        InnerGraphs.Print(done, text, ids, (v, prefix, outerOf) => Print(v, prefix, prefix, text, ids, done, null, outerOf));
        return text.ToString().TrimEnd('\n');
    }

    private static void Print(Variable v, string prefix, string childPrefix, StringBuilder text,
        Dictionary<object, string> ids, HashSet<Apply> done, Dictionary<Apply, int>? order,
        IReadOnlyDictionary<Variable, Variable>? outerOf = null)
    {
        if (v.owner is not { } node)
        {
            text.Append(prefix).Append(v.name ?? (v is Constant c ? c.ToString() : $"<{v.type}>")).Append(" [id ").Append(Id(v, ids)).Append(']');
            if (outerOf?.GetValueOrDefault(v) is { } outer) text.Append(" -> [id ").Append(Id(outer.owner ?? (object)outer, ids)).Append(']');
            text.Append('\n');
            return;
        }
        var opText = node.outputs.Count > 1 ? $"{node.op}.{v.index}" : node.op.ToString();
        text.Append(prefix).Append(opText).Append(" [id ").Append(Id(node, ids)).Append("] '").Append(v.name ?? "").Append("'   ");
        if (order is not null && order.TryGetValue(node, out var position)) text.Append(position);
        text.Append('\n');
        if (!done.Add(node)) return;
        for (var i = 0; i < node.inputs.Count; i++)
        {
            var last = i == node.inputs.Count - 1;
            Print(node.inputs[i], childPrefix + " |", childPrefix + (last ? "  " : " |"), text, ids, done, order, outerOf);
        }
    }

    internal static string Id(object key, Dictionary<object, string> ids)
    {
        if (ids.TryGetValue(key, out var id)) return id;
        return ids[key] = Letters(ids.Count);
    }

    /// <summary>0 → A, 25 → Z, 26 → BA (Theano's char_from_number).</summary>
    private static string Letters(int n)
    {
        var result = new StringBuilder();
        do
        {
            result.Insert(0, (char)('A' + n % 26));
            n /= 26;
        } while (n > 0);
        return result.ToString();
    }
}
