namespace Theon.Printing;

/// <summary>Theano's <c>pp</c>: the expression as infix text, operators fully parenthesized.</summary>
public static class PrettyPrinter
{
    public static string Print(Variable v)
    {
        var memo = new Dictionary<Variable, string>(ReferenceEqualityComparer.Instance);
        foreach (var node in GraphWalk.TopoSort([v]))
        {
            var inputs = node.inputs.Select(i => memo.TryGetValue(i, out var s) ? s : Leaf(i)).ToArray();
            foreach (var output in node.outputs) memo[output] = node.op.Pp(node, inputs, output.index);
        }
        return memo.TryGetValue(v, out var text) ? text : Leaf(v);
    }

    private static string Leaf(Variable v) => v.name ?? (v is Constant c ? c.ToString() : $"<{v.type}>");
}
