namespace Theon.Interactive;

/// <summary>Drives a progress display from an enumeration: in a notebook, a display updated in place.</summary>
internal static class ProgressLoop
{
    public static readonly TimeSpan MinRedrawInterval = TimeSpan.FromMilliseconds(100);

    public static IEnumerable<T> Start<T>(IEnumerable<T> source, string description, int? total, INotebookHost? host,
        TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(description);
        if (total is < 0)
            throw new ArgumentOutOfRangeException(nameof(total), total, "progress: total must be 0 or more.");
        long? count = total ?? (source.TryGetNonEnumeratedCount(out var n) ? n : null);
        return host is null || host.IsTerminal
            ? TerminalProgress.Iterate(source, description, count)
            : InNotebook(source, description, count, host, clock);
    }

    private static IEnumerable<T> InNotebook<T>(IEnumerable<T> source, string description, long? total,
        INotebookHost host, TimeProvider clock)
    {
        var started = clock.GetTimestamp();
        ProgressState State(long done, ProgressOutcome outcome) =>
            new(description, done, total, clock.GetElapsedTime(started), outcome);

        var handle = host.Display(State(0, ProgressOutcome.Running));
        var lastRedraw = started;
        long count = 0;
        var outcome = ProgressOutcome.Failed;
        try
        {
            using var items = source.GetEnumerator();
            while (true)
            {
                outcome = ProgressOutcome.Failed;
                if (!items.MoveNext()) break;
                // The loop body may leave (break, or an exception there) while this iterator waits at the yield.
                outcome = ProgressOutcome.Stopped;
                yield return items.Current;
                count++;
                if (clock.GetElapsedTime(lastRedraw) < MinRedrawInterval) continue;
                handle.Update(State(count, ProgressOutcome.Running));
                lastRedraw = clock.GetTimestamp();
            }
            outcome = ProgressOutcome.Done;
        }
        finally
        {
            handle.Update(State(count, outcome));
        }
    }
}
