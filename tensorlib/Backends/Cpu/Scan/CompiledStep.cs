using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// The step of a scan optimized and built once by a backend (its phases: the CPU backend's GEMM calls and fused
/// loops), then run once per step. Not thread-safe: one per kernel, and calls of a function are serialized.
/// </summary>
internal sealed class CompiledStep : IScanStep
{
    private readonly Executable executable;
    private readonly int[] inputOf;            // graph input -> inner input, or -1 for a constant
    private readonly NDArray[] values;

    public CompiledStep(InnerGraph graph, Backend backend)
    {
        // the step's placeholders have no test values; its graph was checked when it was built
        executable = backend.Build(StepTestValues.Off(() => Optimizer.Optimize(graph.Outputs, backend.Phases).Lowered), []);
        var graphInputs = executable.GraphInputs;
        inputOf = new int[graphInputs.Count];
        values = new NDArray[graphInputs.Count];
        for (var g = 0; g < graphInputs.Count; g++)
        {
            inputOf[g] = GraphWalk.IndexOf(graph.Inputs, graphInputs[g]);
            if (inputOf[g] >= 0) continue;
            values[g] = graphInputs[g] is Constant c ? c.data : throw new InvalidOperationException(
                $"the inner graph of scan reads {graphInputs[g]}, which is not one of its inputs.");
        }
    }

    public void Run(NDArray[] innerInputs, NDArray[] results, CancellationToken cancellation)
    {
        for (var g = 0; g < inputOf.Length; g++)
        {
            if (inputOf[g] >= 0) values[g] = innerInputs[inputOf[g]];
        }
        executable.Run(values, results, cancellation);
    }
}
