using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Native;

namespace Theon.Tests.Cuda;

/// <summary>
/// NVRTC when this machine has it; tests that need it call <see cref="Require"/>, which skips with the reason.
/// </summary>
internal static class NvrtcAvailability
{
    private static readonly Lazy<string?> Reason = new(() => Nvrtc.TryLoad(out var reason) ? null : reason);

    /// <summary>Hopper's virtual architecture when this NVRTC knows it (11.8+), else Ampere's.</summary>
    public static string Architecture => Nvrtc.Api.Version.CompareTo((11, 8)) >= 0 ? "compute_90" : "compute_80";

    public static void Require() =>
        Assert.SkipWhen(Reason.Value is not null, $"NVRTC is not installed here: {Reason.Value}");

    /// <summary>Compiles without any cache, so that every test really runs NVRTC.</summary>
    public static string Compile(string source)
    {
        Require();
        return new KernelCompiler(cacheFolder: null).Ptx(source, Architecture);
    }
}
