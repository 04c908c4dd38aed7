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

    /// <summary>
    /// The executable of <paramref name="outputs"/>: the function's outputs, then the operands of each of
    /// <paramref name="inPlace"/> (y, then the indices), then one update expression for each of
    /// <paramref name="updated"/>, in order.
    /// </summary>
    internal abstract Executable Build(IReadOnlyList<Variable> outputs, IReadOnlyList<SharedVariable> updated,
        IReadOnlyList<InPlaceUpdate>? inPlace = null);

    /// <summary>Whether an update whose expression is <paramref name="node"/> (an increment of the variable itself)
    /// may be written into the variable in place.</summary>
    internal virtual bool UpdatesInPlace(Apply node) => true;

    /// <summary>
    /// Every backend by name: the one list that <c>config.backend</c>, <c>function(..., backend:)</c> and
    /// <c>theon run --backend</c> accept.
    /// </summary>
    private static readonly (string Name, Func<Backend> Instance)[] All =
    [
        ("cpu", () => CpuBackend.Instance),
        ("reference", () => ReferenceBackend.Instance),
        ("cuda", () => Backends.Cuda.CudaBackend.Instance),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(b => b.Name)];

    public static Backend Named(string name) => All[IndexOf(name)].Instance();

    /// <summary><paramref name="name"/> when it names a backend; else the error that lists the names.</summary>
    public static string CheckName(string name) => All[IndexOf(name)].Name;

    private static int IndexOf(string name)
    {
        var index = Array.FindIndex(All, b => b.Name == name);
        if (index >= 0) return index;
        var quoted = Names.Select(n => $"\"{n}\"").ToArray();
        throw new ArgumentException(
            $"backend: expected {string.Join(", ", quoted[..^1])} or {quoted[^1]}, got \"{name}\".");
    }

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

    internal override Executable Build(IReadOnlyList<Variable> outputs, IReadOnlyList<SharedVariable> updated,
        IReadOnlyList<InPlaceUpdate>? inPlace = null) => new Evaluator(outputs);
}

/// <summary>What a backend built: runs the graph from the values of its inputs.</summary>
internal abstract class Executable
{
    /// <summary>The nodes in an order that respects their dependencies.</summary>
    public abstract IReadOnlyList<Apply> Schedule { get; }

    /// <summary>
    /// The values <see cref="Run"/> takes, in order: the function's inputs the outputs depend on, and for an
    /// executable that works on host values, the shared variables and constants too (a device executable reads
    /// those where they live).
    /// </summary>
    public abstract IReadOnlyList<Variable> GraphInputs { get; }

    /// <summary>
    /// Computes the outputs from <paramref name="inputs"/> (the values of <see cref="GraphInputs"/>) into
    /// <paramref name="outputs"/>: the function's outputs, then, unless <see cref="StagesUpdates"/>, the update
    /// values. Results may live in buffers that the next call reuses.
    /// </summary>
    public abstract void Run(NDArray[] inputs, NDArray[] outputs, CancellationToken cancellation);

    /// <summary>
    /// True when <see cref="Run"/> keeps the update values where it computed them (device memory): the caller
    /// checks them by <see cref="StagedShape"/> and installs them all with <see cref="InstallStaged"/>.
    /// </summary>
    public virtual bool StagesUpdates => false;

    /// <summary>After <see cref="Run"/>: the shape of the value staged for update <paramref name="update"/>.</summary>
    public virtual int[] StagedShape(int update) => throw new NotSupportedException();

    /// <summary>Installs every staged update value into its shared variable, and writes the updates that run in
    /// place.</summary>
    public virtual void InstallStaged() => throw new NotSupportedException();

    /// <summary>Drops the staged update values of a call that failed.</summary>
    public virtual void DiscardStaged()
    {
    }

    /// <summary>
    /// Asks the executable to check float graph input <paramref name="graphInput"/> for NaN during <see cref="Run"/>,
    /// in a loop that reads all of it anyway; false where it cannot, and the caller checks the value itself.
    /// </summary>
    public virtual bool CheckNaNWhileRunning(int graphInput) => false;

    /// <summary>After <see cref="Run"/>: an input it was asked to check may hold a NaN (the caller then looks).</summary>
    public virtual bool MayHaveSeenNaN => false;
}
