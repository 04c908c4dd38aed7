namespace Theon.Kernel.Runtime;

/// <summary>
/// Thrown inside a cell when the user interrupts it, like Python's <c>KeyboardInterrupt</c>.
/// </summary>
public sealed class KeyboardInterruptException() : OperationCanceledException("The cell was interrupted.");

/// <summary>
/// The cooperative interrupt a cell observes. .NET cannot abort a thread, so the engine rewrites every cell to call
/// <see cref="Check"/> at loop back-edges and method entries, and routes blocking waits through here.
/// </summary>
public static class Interruption
{
    private static volatile bool requested;
    private static CancellationTokenSource source = Share(new CancellationTokenSource());

    /// <summary>Cancelled when the running cell is interrupted.</summary>
    public static CancellationToken Token => source.Token;

    public static bool IsRequested => requested;

    public static void Check()
    {
        if (requested) throw new KeyboardInterruptException();
    }

    public static void Sleep(int millisecondsTimeout)
    {
        Check();
        if (Token.WaitHandle.WaitOne(millisecondsTimeout)) throw new KeyboardInterruptException();
    }

    public static void Sleep(TimeSpan timeout) => Sleep((int)timeout.TotalMilliseconds);

    public static Task Delay(int millisecondsDelay) => Delay(millisecondsDelay, CancellationToken.None);

    public static Task Delay(TimeSpan delay) => Delay((int)delay.TotalMilliseconds, CancellationToken.None);

    public static Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        Delay((int)delay.TotalMilliseconds, cancellationToken);

    public static async Task Delay(int millisecondsDelay, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(Token, cancellationToken);
        try
        {
            await Task.Delay(millisecondsDelay, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (requested)
        {
            throw new KeyboardInterruptException();
        }
    }

    /// <summary>Asks the running cell to stop.</summary>
    public static void Request()
    {
        requested = true;
        source.Cancel();
    }

    /// <summary>Clears a pending request before the next cell runs.</summary>
    internal static void Reset()
    {
        if (!requested && !source.IsCancellationRequested) return;
        requested = false;
        var old = source;
        source = Share(new CancellationTokenSource());
        old.Dispose();
    }

    // Theon's compiled functions check this token between graph nodes, so an interrupt stops them too.
    private static CancellationTokenSource Share(CancellationTokenSource created)
    {
        Interrupts.Token = created.Token;
        return created;
    }
}
