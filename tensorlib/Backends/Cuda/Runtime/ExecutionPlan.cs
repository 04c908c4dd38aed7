using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>One step of a device plan: a fused group of Elemwise nodes, or a single node.</summary>
public abstract record PlanStep
{
    public sealed record Fused(IReadOnlyList<Apply> Nodes, ScalarGraph Graph, IReadOnlyList<Variable> Inputs,
        IReadOnlyList<Variable> Outputs) : PlanStep;

    public sealed record Single(Apply Node) : PlanStep;
}

/// <summary>
/// Splits a schedule into device steps. Elemwise nodes fuse when they are consecutive in the schedule, connected, and
/// of one broadcast pattern (connected nodes of one pattern have one output shape, which Elemwise checks); a fused
/// group's outputs are the values used after it or returned.
/// </summary>
public static class ExecutionPlan
{
    public static IReadOnlyList<PlanStep> Build(IReadOnlyList<Apply> schedule, IReadOnlyList<Variable> results)
    {
        var steps = new List<PlanStep>();
        var group = new List<Apply>();
        for (var n = 0; n < schedule.Count; n++)
        {
            var node = schedule[n];
            if (node.op is Elemwise && ScalarCode.Supports(((Elemwise)node.op).Scalar) && Joins(group, node))
            {
                group.Add(node);
                continue;
            }
            Flush(group, schedule, n, results, steps);
            if (node.op is Elemwise elemwise && ScalarCode.Supports(elemwise.Scalar)) group.Add(node);
            else steps.Add(new PlanStep.Single(node));
        }
        Flush(group, schedule, schedule.Count, results, steps);
        return steps;
    }

    private static bool Joins(List<Apply> group, Apply node) =>
        group.Count > 0
        && group[0].outputs[0].type.broadcastable.SequenceEqual(node.outputs[0].type.broadcastable)
        && node.inputs.Any(v => group.Any(g => ReferenceEquals(g.outputs[0], v)));

    private static void Flush(List<Apply> group, IReadOnlyList<Apply> schedule, int next,
        IReadOnlyList<Variable> results,
        List<PlanStep> steps)
    {
        if (group.Count == 0) return;
        var usedLater = new HashSet<Variable>(schedule.Skip(next).SelectMany(n => n.inputs),
            ReferenceEqualityComparer.Instance);
        usedLater.UnionWith(results);
        var outputs = group.Select(g => g.outputs[0]).Where(usedLater.Contains).ToArray();
        var (graph, inputs) = ScalarGraph.FromElemwise(group, outputs);
        steps.Add(new PlanStep.Fused([.. group], graph, inputs, outputs));
        group.Clear();
    }
}
