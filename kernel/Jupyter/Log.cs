using Theon.Kernel.Engine;

namespace Theon.Kernel.Jupyter;

/// <summary>The kernel's own log: stderr of the process (Jupyter shows it in the server's console).</summary>
internal static class Log
{
    public static void Info(string message) => Write("info", message);

    public static void Warn(string message) => Write("warning", message);

    private static void Write(string level, string message)
    {
        var writer = OutputRouter.OriginalError;
        lock (writer) writer.WriteLine($"[theon {DateTime.UtcNow:HH:mm:ss.fff} {level}] {message}");
        writer.Flush();
    }
}
