using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>One step of a device plan.</summary>
public abstract record PlanStep
{
    /// <summary>Connected Elemwise nodes of one broadcast pattern, one generated kernel.</summary>
    public sealed record Fused(IReadOnlyList<Apply> Nodes, ScalarGraph Graph, IReadOnlyList<Variable> Inputs,
        IReadOnlyList<Variable> Outputs) : PlanStep;

    /// <summary>A node run by its entry in <see cref="DeviceOps"/>.</summary>
    public sealed record OnDevice(Apply Node) : PlanStep;

    /// <summary>
    /// A node run by its <see cref="Op.Perform"/> on host values: shape and index arithmetic (scalars and short
    /// vectors computed from the function's scalar arguments, constants and shapes), which costs the device nothing;
    /// or, when <see cref="Fallback"/>, an op without device code, whose device inputs are downloaded.
    /// </summary>
    public sealed record OnHost(Apply Node, bool Fallback) : PlanStep;
}

/// <summary>
/// Splits a schedule into device steps. A value lives on the host when it is a scalar argument, a constant, a
/// <c>Shape</c>, or computed on the host; a node whose inputs all live on the host and whose outputs have at most
/// one axis runs there (so a minibatch's slice bounds never cross to the device and back). Elemwise nodes fuse when
/// they are consecutive in the schedule, connected, and of one broadcast pattern; a fused group's outputs are the
/// values used after it or returned. Every other node runs on the device, or on the host when it has no device code.
/// </summary>
public static class ExecutionPlan
{
    public static IReadOnlyList<PlanStep> Build(IReadOnlyList<Apply> schedule, IReadOnlyList<Variable> results,
        IReadOnlyList<Variable> arguments)
    {
        var onHost = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        bool Host(Variable v) => onHost.Contains(v) || v is Constant
            || (v.owner is null && v.ndim == 0 && arguments.Contains(v, ReferenceEqualityComparer.Instance));
        var steps = new List<PlanStep>();
        var group = new List<Apply>();
        for (var n = 0; n < schedule.Count; n++)
        {
            var node = schedule[n];
            if (node.op is Shape || (node.op is not IfElse && node.inputs.All(Host) && node.outputs.All(o => o.ndim <= 1)))
            {
                Flush(group, schedule, n, results, steps);
                onHost.UnionWith(node.outputs);
                steps.Add(new PlanStep.OnHost(node, Fallback: false));
                continue;
            }
            if (Fusible(node) && Joins(group, node))
            {
                group.Add(node);
                continue;
            }
            Flush(group, schedule, n, results, steps);
            if (Fusible(node)) group.Add(node);
            else if (DeviceOps.Runs(node)) steps.Add(new PlanStep.OnDevice(node));
            else
            {
                onHost.UnionWith(node.outputs);
                steps.Add(new PlanStep.OnHost(node, Fallback: true));
            }
        }
        Flush(group, schedule, schedule.Count, results, steps);
        return steps;
    }

    /// <summary>The nodes of <paramref name="plan"/> that run on the host because they have no device code.</summary>
    public static IEnumerable<Apply> Fallbacks(IReadOnlyList<PlanStep> plan) =>
        plan.OfType<PlanStep.OnHost>().Where(s => s.Fallback).Select(s => s.Node);

    private static bool Fusible(Apply node) => node.op is Elemwise elemwise && ScalarCode.Supports(elemwise.Scalar);

    private static bool Joins(List<Apply> group, Apply node) =>
        group.Count > 0
        && group[0].outputs[0].type.broadcastable.SequenceEqual(node.outputs[0].type.broadcastable)
        && node.inputs.Any(v => group.Any(g => ReferenceEquals(g.outputs[0], v)));

    private static void Flush(List<Apply> group, IReadOnlyList<Apply> schedule, int next,
        IReadOnlyList<Variable> results, List<PlanStep> steps)
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
