using System.Text;

namespace Theon.Kernel.Engine;

/// <summary>Receives what a cell writes to stdout and stderr, from any thread.</summary>
public interface IOutputSink
{
    void Write(string stream, string text);
}

/// <summary>
/// Owns <see cref="Console.Out"/> and <see cref="Console.Error"/> for the process and forwards every write to the
/// sink of the cell that runs now. A process-wide target (not an AsyncLocal) is deliberate: writes from threads
/// and tasks that a cell started must reach that cell's output too.
/// </summary>
public static class OutputRouter
{
    private static readonly Lock Gate = new();
    private static volatile IOutputSink? current;
    private static TextWriter? originalOut;
    private static TextWriter? originalError;

    /// <summary>The process's real stdout, for the kernel's own use.</summary>
    public static TextWriter OriginalOut => originalOut ?? Console.Out;

    /// <summary>The process's real stderr: the kernel's log.</summary>
    public static TextWriter OriginalError => originalError ?? Console.Error;

    public static void Install()
    {
        lock (Gate)
        {
            if (originalOut is not null) return;
            originalOut = Console.Out;
            originalError = Console.Error;
            Console.SetOut(new RoutingWriter("stdout", originalOut));
            Console.SetError(new RoutingWriter("stderr", originalError));
        }
    }

    /// <summary>Sends output to <paramref name="sink"/> until the returned scope ends.</summary>
    public static IDisposable Capture(IOutputSink sink)
    {
        Install();
        var previous = current;
        current = sink;
        return new Scope(() => current = previous);
    }

    /// <summary>Makes <paramref name="sink"/> the target of writes that happen when no cell runs.</summary>
    public static void SetIdleTarget(IOutputSink? sink) => current = sink;

    private sealed class Scope(Action end) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) end();
        }
    }

    private sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Forward(value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value)) Forward(value);
        }

        public override void Write(char[] buffer, int index, int count) => Forward(new string(buffer, index, count));

        public override void WriteLine(string? value) => Forward((value ?? "") + NewLine);

        public override void Flush()
        {
            if (current is null) fallback.Flush();
        }

        private void Forward(string text)
        {
            if (current is { } sink) sink.Write(stream, text);
            else fallback.Write(text);
        }
    }
}
