using Theon.Backends.Cuda;
using Theon.Backends.Cuda.Emulation;
using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

/// <summary>
/// The backends a compiled function can run on here: the CPU, the CUDA backend on a real GPU (skipped with the reason
/// where there is none), and the CUDA backend on <see cref="EmulatedDevice"/>, which runs the same device runtime
/// with the generated kernels compiled for the CPU, so every CI run exercises it.
/// </summary>
public static class Backends
{
    public static TheoryData<string> All => ["cpu", "cuda", "emulated"];

    private static readonly Lazy<(CudaDevice? Device, string? Reason)> Cuda = new(() =>
        CudaDevice.TryGetDefault(out var device, out var reason) ? (device, null) : (null, reason));

    public static string? CudaUnavailableReason => Cuda.Value.Reason;

    /// <summary>The CUDA backend on a host device of its own, with counts that start at zero.</summary>
    public static CudaBackend Emulated()
    {
        HostEmulation.Require();
        return CudaBackend.On(new EmulatedDevice());
    }

    /// <summary>The backend named <paramref name="backend"/>, skipping the test where it cannot run.</summary>
    public static Theon.Compile.Backend Named(string backend)
    {
        if (backend == "emulated") return Emulated();
        if (backend == "cuda") Assert.SkipWhen(Cuda.Value.Device is null, $"no CUDA device here: {Cuda.Value.Reason}");
        return Theon.Compile.Backend.Named(backend);
    }

    /// <summary>Runs <paramref name="f"/> compiled again for the named backend.</summary>
    public static Func<object[], NDArray[]> On(string backend, Delegate f) =>
        CompiledFunction.Of(f).On(Named(backend)).Call;
}
