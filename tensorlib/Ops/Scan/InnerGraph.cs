using Theon.Compile;

namespace Theon.Ops;

/// <summary>
/// The step of a <see cref="Scan"/>: placeholder inputs and the outputs computed from them, a graph of its own
/// (no free variables: shared variables and outer values it reads are inputs too). Compares by identity, so two
/// scans merge only when they run the same step.
/// </summary>
public sealed class InnerGraph
{
    private readonly Lazy<InnerProgram> reference;

    public InnerGraph(IReadOnlyList<Variable> inputs, IReadOnlyList<Variable> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        reference = new(() => new InnerProgram(this, ReferenceBackend.Instance, optimize: false));
    }

    public IReadOnlyList<Variable> Inputs { get; }

    public IReadOnlyList<Variable> Outputs { get; }

    /// <summary>The reference program: every node's <see cref="Op.Perform"/>, unoptimized, built once.</summary>
    internal InnerProgram Reference => reference.Value;
}

/// <summary>
/// The inner graph compiled once for a backend (optimized and lowered by its phases unless it is the reference):
/// runs one step from the values of the inner inputs. The executable may keep its results in buffers that the next
/// step overwrites, so the loop copies them out first.
/// </summary>
internal sealed class InnerProgram
{
    private readonly Executable executable;
    private readonly int[] inputOf;            // graph input -> inner input, or -1 for a constant
    private readonly NDArray?[] constants;

    public InnerProgram(InnerGraph graph, Backend backend, bool optimize)
    {
        var outputs = optimize ? Optimizer.Optimize(graph.Outputs, backend.Phases).Lowered : [.. graph.Outputs];
        executable = backend.Build(outputs, []);
        var graphInputs = executable.GraphInputs;
        inputOf = new int[graphInputs.Count];
        constants = new NDArray?[graphInputs.Count];
        for (var g = 0; g < graphInputs.Count; g++)
        {
            inputOf[g] = IndexOf(graph.Inputs, graphInputs[g]);
            if (inputOf[g] >= 0) continue;
            constants[g] = graphInputs[g] is Constant c ? c.data : throw new InvalidOperationException(
                $"the inner graph of scan reads {graphInputs[g]}, which is not one of its inputs.");
        }
        OutputCount = graph.Outputs.Count;
    }

    public int OutputCount { get; }

    public int GraphInputCount => inputOf.Length;

    /// <summary>Runs one step; <paramref name="values"/> has <see cref="GraphInputCount"/> entries, reused.</summary>
    public void Run(NDArray[] innerInputs, NDArray[] values, NDArray[] results, CancellationToken cancellation)
    {
        for (var g = 0; g < inputOf.Length; g++) values[g] = inputOf[g] >= 0 ? innerInputs[inputOf[g]] : constants[g]!;
        executable.Run(values, results, cancellation);
    }

    private static int IndexOf(IReadOnlyList<Variable> inputs, Variable v)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            if (ReferenceEquals(inputs[i], v)) return i;
        }
        return -1;
    }
}
