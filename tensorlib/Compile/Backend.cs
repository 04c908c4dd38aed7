using Theon.Backends.Cpu;

namespace Theon.Compile;

/// <summary>
/// Turns an optimized graph into an executable. A backend may add phases to the optimizer (the CPU backend's
/// "fuse") and implements ops natively through its own table keyed by op type; other ops run their
/// <see cref="Op.Perform"/>.
/// </summary>
public abstract class Backend
{
    public abstract string Name { get; }

    /// <summary>Phases run after the optimizer's own.</summary>
    public virtual IReadOnlyList<Phase> Phases => [];

    internal abstract Executable Build(IReadOnlyList<Variable> outputs);

    public static Backend Named(string name) => name switch
    {
        "reference" => ReferenceBackend.Instance,
        "cpu" => CpuBackend.Instance,
        "cuda" => Backends.Cuda.CudaBackend.Instance,
        _ => throw new ArgumentException($"backend: expected \"reference\", \"cpu\" or \"cuda\", got \"{name}\"."),
    };

    public override string ToString() => Name;
}

/// <summary>Theano's Python linker: every node runs its reference <see cref="Op.Perform"/>, lazily.</summary>
public sealed class ReferenceBackend : Backend
{
    public static readonly ReferenceBackend Instance = new();

    private ReferenceBackend()
    {
    }

    public override string Name => "reference";

    internal override Executable Build(IReadOnlyList<Variable> outputs) => new Evaluator(outputs);
}

/// <summary>What a backend built: runs the graph from the values of its inputs.</summary>
internal abstract class Executable
{
    /// <summary>The nodes in an order that respects their dependencies.</summary>
    public abstract IReadOnlyList<Apply> Schedule { get; }

    /// <summary>Inputs, shared variables and constants the outputs depend on, in the order <see cref="Run"/> takes
    /// them.</summary>
    public abstract IReadOnlyList<Variable> GraphInputs { get; }

    /// <summary>
    /// Computes the outputs from <paramref name="inputs"/> (the values of <see cref="GraphInputs"/>) into
    /// <paramref name="outputs"/>. Results may live in buffers that the next call reuses.
    /// </summary>
    public abstract void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation);

    /// <summary>
    /// Asks the executable to check float graph input <paramref name="graphInput"/> for NaN during <see cref="Run"/>,
    /// in a loop that reads all of it anyway; false where it cannot, and the caller checks the value itself.
    /// </summary>
    public virtual bool CheckNaNWhileRunning(int graphInput) => false;

    /// <summary>After <see cref="Run"/>: an input it was asked to check may hold a NaN (the caller then looks).</summary>
    public virtual bool MayHaveSeenNaN => false;
}
