using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>One step of a device plan.</summary>
public abstract record PlanStep
{
    /// <summary>A node run by its entry in <see cref="DeviceOps"/>: a fused loop (<see cref="Composite"/>) is one
    /// generated kernel.</summary>
    public sealed record OnDevice(Apply Node) : PlanStep;

    /// <summary>
    /// A node run by its <see cref="Op.Perform"/> on host values: shape and index arithmetic (scalars and short
    /// vectors computed from the function's scalar arguments, constants and shapes), which costs the device nothing;
    /// or, when <see cref="Fallback"/>, an op without device code, whose device inputs are downloaded.
    /// </summary>
    public sealed record OnHost(Apply Node, bool Fallback) : PlanStep;
}

/// <summary>
/// Places each node of a schedule (already fused by the fusion phase) on the host or the device. A value lives on the
/// host when it is a scalar argument, a constant, a <c>Shape</c>, or computed on the host; a node whose inputs all
/// live on the host and whose outputs have at most one axis runs there (so a minibatch's slice bounds never cross to
/// the device and back). Every other node runs on the device, or on the host when it has no device code.
/// </summary>
public static class ExecutionPlan
{
    public static IReadOnlyList<PlanStep> Build(IReadOnlyList<Apply> schedule, IReadOnlyList<Variable> arguments)
    {
        var onHost = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        bool Host(Variable v) => onHost.Contains(v) || v is Constant
            || (v.owner is null && v.ndim == 0 && arguments.Contains(v, ReferenceEqualityComparer.Instance));
        var steps = new List<PlanStep>();
        foreach (var node in schedule)
        {
            var host = node.op is Shape
                || (node.op is not IfElse && node.inputs.All(Host) && node.outputs.All(o => o.ndim <= 1));
            if (!host && DeviceOps.Runs(node))
            {
                steps.Add(new PlanStep.OnDevice(node));
                continue;
            }
            onHost.UnionWith(node.outputs);
            steps.Add(new PlanStep.OnHost(node, Fallback: !host));
        }
        return steps;
    }

    /// <summary>The nodes of <paramref name="plan"/> that run on the host because they have no device code.</summary>
    public static IEnumerable<Apply> Fallbacks(IReadOnlyList<PlanStep> plan) =>
        plan.OfType<PlanStep.OnHost>().Where(s => s.Fallback).Select(s => s.Node);
}
