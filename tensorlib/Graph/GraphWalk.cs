namespace Theon;

/// <summary>Traversals of the expression graph.</summary>
public static class GraphWalk
{
    /// <summary>The nodes that compute <paramref name="outputs"/>, each after the nodes it depends on.</summary>
    public static List<Apply> TopoSort(IEnumerable<Variable> outputs)
    {
        var order = new List<Apply>();
        var state = new Dictionary<Apply, bool>(ReferenceEqualityComparer.Instance);   // false: visiting, true: done
        var stack = new Stack<(Apply Node, int Next)>();
        foreach (var output in outputs)
        {
            if (output.owner is not { } root || state.ContainsKey(root)) continue;
            stack.Push((root, 0));
            state[root] = false;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.inputs.Count)
                {
                    stack.Push((node, next + 1));
                    if (node.inputs[next].owner is { } child && !state.ContainsKey(child))
                    {
                        state[child] = false;
                        stack.Push((child, 0));
                    }
                    continue;
                }
                state[node] = true;
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>Every variable <paramref name="outputs"/> depend on, including themselves.</summary>
    public static HashSet<Variable> Ancestors(IEnumerable<Variable> outputs)
    {
        var seen = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Variable>(outputs);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!seen.Add(v) || v.owner is null) continue;
            foreach (var input in v.owner.inputs) stack.Push(input);
        }
        return seen;
    }

    /// <summary>The position of <paramref name="v"/> in <paramref name="variables"/> by identity, or -1.</summary>
    public static int IndexOf(IReadOnlyList<Variable> variables, Variable v)
    {
        for (var i = 0; i < variables.Count; i++)
        {
            if (ReferenceEquals(variables[i], v)) return i;
        }
        return -1;
    }

    /// <summary>The graph inputs (variables without owner, constants included) of <paramref name="outputs"/>.</summary>
    public static List<Variable> Inputs(IEnumerable<Variable> outputs) =>
        [.. Ancestors(outputs).Where(v => v.owner is null)];

    /// <summary>
    /// Rebuilds the graph of <paramref name="outputs"/> with some variables replaced (Theano's <c>clone</c> with
    /// <c>replace</c>/<c>givens</c>). Nodes whose inputs are unchanged are kept.
    /// </summary>
    public static Variable[] Replace(IReadOnlyList<Variable> outputs, IReadOnlyDictionary<Variable, Variable> replacements)
    {
        var memo = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var (from, to) in replacements) memo[from] = to;
        foreach (var node in TopoSort(outputs))
        {
            var inputs = node.inputs.Select(v => memo.GetValueOrDefault(v, v)).ToArray();
            if (inputs.SequenceEqual(node.inputs, ReferenceEqualityComparer.Instance)) continue;
            var rebuilt = node.op.MakeNode(inputs);
            for (var i = 0; i < node.outputs.Count; i++)
            {
                if (!memo.ContainsKey(node.outputs[i])) memo[node.outputs[i]] = rebuilt.outputs[i];
            }
        }
        return [.. outputs.Select(v => memo.GetValueOrDefault(v, v))];
    }
}
