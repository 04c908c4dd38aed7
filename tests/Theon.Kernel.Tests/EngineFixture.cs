using System.Text;
using Theon.Kernel.Engine;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Theon.Kernel.Tests;

/// <summary>Collects what cells write, per stream, in order.</summary>
internal sealed class CapturedOutput : IOutputSink
{
    private readonly StringBuilder all = new();
    private readonly Lock gate = new();

    public List<(string Stream, string Text)> Writes { get; } = [];

    public void Write(string stream, string text)
    {
        lock (gate)
        {
            Writes.Add((stream, text));
            all.Append(text);
        }
    }

    public string Text(string stream)
    {
        lock (gate) return string.Concat(Writes.Where(w => w.Stream == stream).Select(w => w.Text));
    }
}

internal static class EngineExtensions
{
    public static (CellOutcome Outcome, CapturedOutput Output) Run(this ScriptEngine engine, string code)
    {
        var output = new CapturedOutput();
        using (OutputRouter.Capture(output)) return (engine.Execute(code), output);
    }

    public static object? Value(this ScriptEngine engine, string code)
    {
        var (outcome, _) = engine.Run(code);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        return outcome.Value;
    }
}

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("theon-kernel-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
