using BenchmarkDotNet.Running;

namespace Theon.Benchmarks;

internal static class Program
{
    public static int Main(string[] args)
    {
        TorchSharpLoaderFix.Apply();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
