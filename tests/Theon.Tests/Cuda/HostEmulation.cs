using Theon.Backends.Cuda.Emulation;
using Theon.Backends.Cuda.Runtime;

namespace Theon.Tests.Cuda;

/// <summary>The library's g++ emulation of generated kernels, skipped with the reason where g++ is missing.</summary>
internal static class HostEmulation
{
    public static void Require() => Assert.SkipWhen(HostCompiler.Unavailable is not null,
        $"g++ is not available for the host emulation: {HostCompiler.Unavailable}");

    public static void Run(string source, string name, KernelArguments arguments)
    {
        Require();
        HostCompiler.Run(source, name, arguments);
    }
}
