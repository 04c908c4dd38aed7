using System.Text;
using Theon.Ops;

namespace Theon.Printing;

/// <summary>
/// The section debugprint adds below a graph with scans, as Theano's: "Inner graphs of the scan ops:", then each scan
/// node's line and its step's outputs under <c>&gt;</c>, each step input followed by the id of the outer input it
/// reads (<c>x[t] [id C] -&gt; [id D]</c>). Scans inside a step are listed after it.
/// </summary>
internal static class InnerGraphs
{
    public static void Print(HashSet<Apply> printed, StringBuilder text, Dictionary<object, string> ids,
        Action<Variable, string, IReadOnlyDictionary<Variable, Variable>> printInner)
    {
        var listed = new HashSet<Apply>(ReferenceEqualityComparer.Instance);
        var pending = new Queue<Apply>(Scans(printed, listed));
        if (pending.Count == 0) return;
        text.Append("\nInner graphs of the scan ops:\n");
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            var scan = (Scan)node.op;
            text.Append('\n').Append(scan.Name).Append(" [id ").Append(DebugPrinter.Id(node, ids)).Append("] ''   \n");
            var outerOf = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < scan.Inner.Inputs.Count; i++) outerOf[scan.Inner.Inputs[i]] = node.inputs[scan.OuterInputOf(i)];
            var before = new HashSet<Apply>(printed, ReferenceEqualityComparer.Instance);
            foreach (var output in scan.Inner.Outputs) printInner(output, " >", outerOf);
            foreach (var inner in Scans(printed.Except(before), listed)) pending.Enqueue(inner);
        }
    }

    private static IEnumerable<Apply> Scans(IEnumerable<Apply> nodes, HashSet<Apply> listed) =>
        [.. nodes.Where(n => n.op is Scan && listed.Add(n))];
}
