using Theon.Interactive.Graphs;
using Theon.Ops;

namespace Theon.Interactive.Formatters;

/// <summary>
/// Turns Theon's symbolic graph (variables, apply nodes) into the drawing engine's <see cref="GraphModel"/>. A node
/// whose op runs an inner graph (<see cref="IInnerGraphOp"/>: scan's step, the Jacobian's row) becomes a frame
/// labelled as pp prints the op, holding that graph (recursively): the step's inputs, named as debugprint names
/// them, are ports that the outer inputs they read link into, and its outputs are ports the node's outputs leave
/// from. A step of more than <c>maxInnerNodes</c> nodes (its own and its frames') is collapsed to its ports.
/// </summary>
internal static class ExpressionGraph
{
    /// <summary>Past this many apply nodes a drawing is no longer readable, and is left out.</summary>
    public const int MaxDrawnApplies = 2000;

    /// <summary>
    /// Steps larger than this are drawn collapsed. A forward RNN step (a few products and a tanh) fits; a gradient's
    /// backward step (an RNN's has about 30 nodes, with many ports) is collapsed, and HTML output shows it in full in
    /// a section that expands.
    /// </summary>
    public const int DefaultMaxInnerNodes = 24;

    public static int CountApplies(IEnumerable<Variable> outputs) => GraphWalk.TopoSort(outputs).Count;

    public static GraphModel Build(IReadOnlyList<(Variable Variable, string Label)> outputs,
        int maxInnerNodes = DefaultMaxInnerNodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInnerNodes);
        return new Builder(new GraphModel(), maxInnerNodes).Build([], outputs).Model;
    }

    /// <summary>The applies inside an op's inner graphs, recursively (what a frame would hold).</summary>
    private static int InnerApplies(IInnerGraphOp op) =>
        GraphWalk.TopoSort(op.Inner.Outputs).Sum(a => 1 + (a.op is IInnerGraphOp inner ? InnerApplies(inner) : 0));

    private sealed record Built(GraphModel Model, int[] InputPorts, int[] OutputPorts);

    private sealed class Builder(GraphModel model, int maxInnerNodes)
    {
        private readonly Dictionary<Apply, (int Node, int[]? OutputPorts)> applyNodes =
            new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Variable, int> leafNodes = new(ReferenceEqualityComparer.Instance);

        /// <summary>Adds <paramref name="ports"/> (a step's inputs) first, then the graph, then its outputs.</summary>
        public Built Build(IReadOnlyList<Variable> ports, IReadOnlyList<(Variable Variable, string Label)> outputs)
        {
            var inputPorts = ports.Select(Leaf).ToArray();
            foreach (var apply in GraphWalk.TopoSort(outputs.Select(o => o.Variable)))
            {
                var types = string.Join(", ", apply.outputs.Select(o => o.type.ToString()));
                if (apply.op is IInnerGraphOp inner)
                {
                    AddFrame(apply, inner, types);
                    continue;
                }
                var node = model.Add(apply.op.Name, GraphNodeKind.Apply, $"→ {types}");
                applyNodes[apply] = (node, null);
                for (var i = 0; i < apply.inputs.Count; i++)
                    Connect(apply.inputs[i], node, $"input {i}: {apply.inputs[i].type}");
            }
            var outputPorts = new int[outputs.Count];
            for (var o = 0; o < outputs.Count; o++)
            {
                var (variable, label) = outputs[o];
                outputPorts[o] = model.Add(label, GraphNodeKind.Output, variable.type.ToString());
                var suffix = variable.owner is { outputs.Count: > 1 } ? $" (output {variable.index})" : "";
                Connect(variable, outputPorts[o], variable.type + suffix);
            }
            return new Built(model, inputPorts, outputPorts);
        }

        private void AddFrame(Apply apply, IInnerGraphOp op, string types)
        {
            var stepInputs = op.Inner.Inputs;
            var stepOutputs = op.Inner.Outputs.Select((v, k) => (v, $"output {k}")).ToArray();
            var full = new Builder(new GraphModel { OutputsOnLastLayer = true }, maxInnerNodes)
                .Build(stepInputs, stepOutputs);
            var size = InnerApplies(op);
            var drawn = size > maxInnerNodes ? Collapsed(full, size) : full;
            var node = model.Add(new GraphNode(apply.op.Name, GraphNodeKind.Apply, $"→ {types}\nstep: {size} nodes")
            {
                Inner = drawn.Model,
                Expanded = ReferenceEquals(drawn, full) ? null : full.Model,
            });
            applyNodes[apply] = (node, drawn.OutputPorts);

            var readByStep = new HashSet<int>();
            for (var i = 0; i < stepInputs.Count; i++)
            {
                if (op.OuterInputOf(i) is not { } outer) continue;
                readByStep.Add(outer);
                Connect(apply.inputs[outer], node, $"{stepInputs[i].name ?? $"input {i}"} ← input {outer}: "
                    + apply.inputs[outer].type, toPort: drawn.InputPorts[i]);
            }
            for (var i = 0; i < apply.inputs.Count; i++)
            {
                if (!readByStep.Contains(i)) Connect(apply.inputs[i], node, $"input {i}: {apply.inputs[i].type}");
            }
        }

        /// <summary>The step's ports around one node that stands for its <paramref name="size"/> nodes.</summary>
        private static Built Collapsed(Built full, int size)
        {
            var model = new GraphModel { OutputsOnLastLayer = true };
            var inputs = full.InputPorts.Select(p => model.Add(full.Model.Nodes[p])).ToArray();
            var body = model.Add($"… {size} nodes", GraphNodeKind.Collapsed, "the step, collapsed: expand it below the drawing");
            foreach (var input in inputs) model.Connect(input, body);
            var outputs = full.OutputPorts.Select(p => model.Add(full.Model.Nodes[p])).ToArray();
            foreach (var output in outputs) model.Connect(body, output);
            return new Built(model, inputs, outputs);
        }

        private void Connect(Variable v, int to, string label, int? toPort = null)
        {
            if (v.owner is { } owner)
            {
                var (from, ports) = applyNodes[owner];
                model.Connect(from, to, label, fromPort: ports?[v.index], toPort: toPort);
            }
            else
            {
                model.Connect(Leaf(v), to, label, toPort: toPort);
            }
        }

        private int Leaf(Variable v)
        {
            if (leafNodes.TryGetValue(v, out var known)) return known;
            var (label, kind) = v switch
            {
                SharedVariable => (v.name ?? "shared", GraphNodeKind.Shared),
                Constant constant => (constant.ToString(), GraphNodeKind.Constant),
                _ => (v.name ?? $"<{v.type}>", GraphNodeKind.Input),
            };
            return leafNodes[v] = model.Add(label, kind, v.type.ToString());
        }
    }
}
