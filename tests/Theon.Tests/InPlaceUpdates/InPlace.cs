using Theon.Compile;
using Theon.Tests.Cuda;

namespace Theon.Tests.InPlaceUpdates;

/// <summary>Compiling on a backend by name (the emulated CUDA device included) and reading shared values as C#
/// arrays, for the tests of updates that run in place.</summary>
internal static class InPlace
{
    // "cuda" runs where there is a GPU and is skipped with the reason elsewhere.
    public static TheoryData<string> AllBackends => ["cpu", "reference", "emulated", "cuda"];

    public static CompiledFunction Build(string backend, IReadOnlyList<Variable> inputs,
        IReadOnlyList<Variable> outputs, IEnumerable<(SharedVariable, Variable)> updates, bool borrow = false) =>
        T.Compile(inputs, outputs, updates, null, Cuda.Backends.Named(backend), borrow);

    public static double[] Flat(SharedVariable v) => v.get_value().astype("float64").ToFlatArray<double>();

    public static double[] Flat(NDArray a) => a.astype("float64").ToFlatArray<double>();

    /// <summary>A float64 matrix whose entry (r, c) is 100 r + c + <paramref name="shift"/>.</summary>
    public static NDArray Matrix(int rows, int columns, double shift = 0) =>
        NDArray.FromArray(Enumerable.Range(0, rows * columns).Select(i => 100.0 * (i / columns) + i % columns + shift)
            .ToArray()).reshape(rows, columns);
}
