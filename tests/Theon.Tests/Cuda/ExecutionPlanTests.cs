using Theon.Backends.Cpu.Fusion;
using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Cuda;

public class ExecutionPlanTests
{
    private static IReadOnlyList<PlanStep> PlanOf(Delegate f)
    {
        var compiled = CompiledFunction.Of(f);
        return ExecutionPlan.Build(compiled.Schedule, compiled.OptimizedOutputs, compiled.Inputs);
    }

    // The reference backend adds no phases, so its graphs still hold the Elemwise nodes the plan fuses.
    private static Function Reference(IReadOnlyList<Variable> inputs, Variable output) => function(inputs, output,
        backend: "reference");

    private static FunctionN Reference(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs) =>
        function(inputs, outputs, backend: "reference");

    [Fact]
    public void A_chain_of_elementwise_ops_of_one_pattern_becomes_one_kernel()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var plan = PlanOf(Reference([x, y], tanh(x * y + y) * 2.0));

        var fused = Assert.Single(plan.OfType<PlanStep.Fused>());
        Assert.True(fused.Nodes.Count >= 3, string.Join(", ", fused.Nodes.Select(n => n.op)));
        Assert.Single(fused.Outputs);
    }

    [Fact]
    public void A_value_used_after_the_group_is_one_of_its_outputs()
    {
        var x = matrix("x");
        var e = exp(x);
        var plan = PlanOf(Reference([x], [e * 2.0, sum(e)]));

        var first = plan.OfType<PlanStep.Fused>().First();
        Assert.Contains(first.Outputs, v => v.owner?.op is Elemwise { Scalar: Exp });
    }

    [Fact]
    public void Non_elementwise_nodes_are_single_steps_with_device_code_where_it_exists()
    {
        var (a, b) = (matrix("a"), matrix("b"));
        var plan = PlanOf(Reference([a, b], nnet.softmax(dot(a, b))));

        var singles = plan.OfType<PlanStep.OnDevice>().Select(s => s.Node.op).ToArray();
        Assert.Contains(singles, op => op is Dot);
        Assert.Contains(singles, op => op is Softmax);
        Assert.Empty(ExecutionPlan.Fallbacks(plan));
    }

    [Fact]
    public void Every_optimized_node_is_in_exactly_one_step()
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var loss = mean(-log(nnet.softmax(x))[arange(y.shape[0]), y]);
        var f = Reference([x, y], [loss, grad(loss, x)]);
        var plan = PlanOf(f);

        var covered = plan.SelectMany(s => s switch
        {
            PlanStep.Fused fused => fused.Nodes,
            PlanStep.OnDevice single => [single.Node],
            PlanStep.OnHost host => [host.Node],
            _ => [],
        }).ToArray();
        Assert.Equal(CompiledFunction.Of(f).Schedule.Count, covered.Length);
        Assert.Equal(covered.Length, covered.Distinct().Count());
    }

    [Fact]
    public void The_cpu_fusion_phase_composites_become_scalar_graphs_that_nvrtc_compiles()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var compiled = CompiledFunction.Of(function([x, y], nnet.sigmoid(x * y + 1.5) - y, backend: "cpu"));
        var composites = compiled.Schedule.Where(n => n.op is Composite).ToArray();
        Assert.NotEmpty(composites);

        foreach (var node in composites)
        {
            var graph = CompositeGraphs.Of((Composite)node.op, node.inputs.Count);
            Assert.Contains("literal", graph.Signature);
            var kernel = new Theon.Backends.Cuda.Codegen.ElementwiseKernel(graph, 2,
                [.. Enumerable.Repeat(Theon.Backends.Cuda.Codegen.InputLayout.Contiguous, node.inputs.Count)]);
            Assert.Contains("__longlong_as_double(0x3ff8000000000000ll)", kernel.Source());
            Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
        }
    }
}
