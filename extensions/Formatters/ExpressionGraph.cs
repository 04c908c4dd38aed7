using Theon.Interactive.Graphs;

namespace Theon.Interactive.Formatters;

/// <summary>
/// Turns Theon's symbolic graph (variables, apply nodes) into the drawing engine's <see cref="GraphModel"/>.
/// </summary>
internal static class ExpressionGraph
{
    /// <summary>Past this many apply nodes a drawing is no longer readable, and is left out.</summary>
    public const int MaxDrawnApplies = 2000;

    public static int CountApplies(IEnumerable<Variable> outputs) => GraphWalk.TopoSort(outputs).Count;

    public static GraphModel Build(IReadOnlyList<(Variable Variable, string Label)> outputs)
    {
        var model = new GraphModel();
        var applyNodes = new Dictionary<Apply, int>(ReferenceEqualityComparer.Instance);
        var leafNodes = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);

        int Producer(Variable v)
        {
            if (v.owner is { } apply) return applyNodes[apply];
            if (leafNodes.TryGetValue(v, out var known)) return known;
            var (label, kind) = v switch
            {
                SharedVariable => (v.name ?? "shared", GraphNodeKind.Shared),
                Constant constant => (constant.ToString(), GraphNodeKind.Constant),
                _ => (v.name ?? $"<{v.type}>", GraphNodeKind.Input),
            };
            return leafNodes[v] = model.Add(label, kind, v.type.ToString());
        }

        foreach (var apply in GraphWalk.TopoSort(outputs.Select(o => o.Variable)))
        {
            var types = string.Join(", ", apply.outputs.Select(o => o.type.ToString()));
            var inputs = apply.inputs.Select(Producer).ToArray();
            var node = model.Add(apply.op.Name, GraphNodeKind.Apply, $"→ {types}");
            applyNodes[apply] = node;
            for (var i = 0; i < inputs.Length; i++)
                model.Connect(inputs[i], node, $"input {i}: {apply.inputs[i].type}");
        }
        foreach (var (variable, label) in outputs)
        {
            var output = model.Add(label, GraphNodeKind.Output, variable.type.ToString());
            var suffix = variable.owner is { outputs.Count: > 1 } ? $" (output {variable.index})" : "";
            model.Connect(Producer(variable), output, variable.type + suffix);
        }
        return model;
    }
}
