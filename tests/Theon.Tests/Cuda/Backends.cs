using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

/// <summary>
/// The backends a compiled function can run on here. Tests take the backend name as a theory argument; the CUDA case
/// skips with the reason (no driver, no GPU) where it cannot run, so it is never silently passed.
/// </summary>
public static class Backends
{
    public static TheoryData<string> All => ["cpu", "cuda"];

    private static readonly Lazy<(CudaDevice? Device, string? Reason)> Cuda = new(() =>
        CudaDevice.TryGetDefault(out var device, out var reason) ? (device, null) : (null, reason));

    public static string? CudaUnavailableReason => Cuda.Value.Reason;

    /// <summary>Runs <paramref name="f"/> on the named backend; every result is copied back to the host.</summary>
    public static Func<object[], NDArray[]> On(string backend, Delegate f)
    {
        var compiled = CompiledFunction.Of(f);
        if (backend == "cpu") return compiled.Call;
        Assert.SkipWhen(Cuda.Value.Device is null, $"no CUDA device here: {Cuda.Value.Reason}");
        var runner = CudaFunctionRunner.For(compiled);
        return runner.Call;
    }
}
