using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>How the CUDA backend places a fused graph: loops and device ops on the device, index arithmetic on the
/// host, nothing else on the host.</summary>
public class ExecutionPlanTests
{
    private static IReadOnlyList<PlanStep> PlanOf(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs) =>
        Assert.IsType<CudaExecutable>(T.Compile(inputs, outputs, null, null, Backends.Emulated(), false).Executable)
            .Plan;

    private static IEnumerable<Op> OnDevice(IReadOnlyList<PlanStep> plan) =>
        plan.OfType<PlanStep.OnDevice>().Select(s => s.Node.op);

    [Fact]
    public void A_chain_of_elementwise_ops_is_one_composite_loop_from_the_fusion_phase()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var plan = PlanOf([x, y], [tanh(x * y + y) * 2.0]);

        var composite = Assert.IsType<Composite>(Assert.Single(OnDevice(plan)));
        Assert.True(composite.Body.Count >= 4, composite.Body.ToString());
    }

    [Fact]
    public void A_sum_of_a_loop_is_a_fused_reduction_on_the_device()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var plan = PlanOf([x, y], [sum(exp(x) * y)]);

        Assert.IsType<FusedReduce>(Assert.Single(OnDevice(plan)));
        Assert.Empty(ExecutionPlan.Fallbacks(plan));
    }

    [Fact]
    public void Non_elementwise_nodes_run_on_the_device_and_shape_arithmetic_on_the_host()
    {
        var (a, b) = (matrix("a"), matrix("b"));
        var plan = PlanOf([a, b], [nnet.softmax(dot(a, b)), cast(a.shape[0], "float64") * 2.0]);

        Assert.Contains(OnDevice(plan), op => op is Dot);
        Assert.Contains(OnDevice(plan), op => op is Softmax);
        Assert.Contains(plan, s => s is PlanStep.OnHost { Node.op: Shape, Fallback: false });
        Assert.Empty(ExecutionPlan.Fallbacks(plan));
    }

    [Fact]
    public void Every_node_is_in_exactly_one_step()
    {
        var (x, y) = (matrix("x"), lvector("y"));
        var loss = mean(-log(nnet.softmax(x))[arange(y.shape[0]), y]);
        var compiled = T.Compile([x, y], [loss, grad(loss, x)], null, null, Backends.Emulated(), false);
        var plan = Assert.IsType<CudaExecutable>(compiled.Executable).Plan;

        var covered = plan.Select(s => s switch
        {
            PlanStep.OnDevice d => d.Node,
            PlanStep.OnHost h => h.Node,
            _ => throw new InvalidOperationException(),
        }).ToArray();
        Assert.Equal(compiled.Schedule, covered);
        Assert.Empty(ExecutionPlan.Fallbacks(plan));
    }

    [Fact]
    public void An_op_without_device_code_falls_back_to_the_host_and_says_so()
    {
        var x = matrix("x");
        var plan = PlanOf([x], [x[1] + 1.0, flatten(x) * 2.0]);

        Assert.All(ExecutionPlan.Fallbacks(plan), n => Assert.False(DeviceOps.Runs(n)));
    }

    [Fact]
    public void The_cpu_fusion_phase_composites_compile_with_nvrtc()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var compiled = CompiledFunction.Of(function([x, y], nnet.sigmoid(x * y + 1.5) - y, backend: "cpu"));
        var composites = compiled.Schedule.Where(n => n.op is Composite).ToArray();
        Assert.NotEmpty(composites);

        foreach (var node in composites)
        {
            var kernel = new LoopKernel(LoopBody.Of(node), 2,
                [.. Enumerable.Repeat(InputLayout.Contiguous, node.inputs.Count)]);
            Assert.Contains("__longlong_as_double(0x3ff8000000000000ll)", kernel.Source());
            Assert.Contains($".entry {kernel.Name}", NvrtcAvailability.Compile(kernel.Source()));
        }
    }
}
