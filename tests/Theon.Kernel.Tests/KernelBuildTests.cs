using System.Reflection.PortableExecutable;

namespace Theon.Kernel.Tests;

/// <summary>
/// The first cell's speed rests on the Release build precompiling the assemblies on its path (Theon.Kernel.csproj);
/// timing it is a benchmark's job (tests/python/bench_kernel.py), so this checks that the build still does it.
/// </summary>
public class KernelBuildTests
{
#if DEBUG
    private const string Configuration = "Debug";
    private const bool Precompiled = false;
#else
    private const string Configuration = "Release";
    private const bool Precompiled = true;
#endif

    [Theory]
    [InlineData("Microsoft.CodeAnalysis.CSharp.dll", Precompiled)]
    [InlineData("Microsoft.CodeAnalysis.dll", Precompiled)]
    [InlineData("Microsoft.CodeAnalysis.CSharp.Scripting.dll", Precompiled)]
    [InlineData("Theon.Kernel.dll", Precompiled)]
    [InlineData("Theon.dll", false)]
    [InlineData("Microsoft.CodeAnalysis.Features.dll", false)]
    [InlineData("Plotly.NET.dll", false)]
    public void The_kernel_build_precompiles_exactly_the_assemblies_on_the_first_cells_path(string file, bool expected)
    {
        var path = Path.Combine(KernelOutput(), file);
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        var native = reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
        Assert.True(native == expected, $"{path}: ReadyToRun code {(native ? "present" : "absent")}");
    }

    private static string KernelOutput()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "global.json")))
            directory = directory.Parent;
        Assert.NotNull(directory);
        return Path.Combine(directory.FullName, "kernel", "bin", Configuration, "net10.0");
    }
}
