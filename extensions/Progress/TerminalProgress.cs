using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Theon.Interactive;

/// <summary>A Spectre.Console progress bar for <c>theon run</c> and other hosts without rich output.</summary>
internal static class TerminalProgress
{
    private static int active;

    /// <summary>Where bars are drawn; tests point it at a recording console.</summary>
    internal static IAnsiConsole? ConsoleOverride { get; set; }

    public static IEnumerable<T> Iterate<T>(IEnumerable<T> source, string description, long? total)
    {
        var console = ConsoleOverride ?? AnsiConsole.Console;
        return console.Profile.Capabilities.Interactive
            ? WithLiveBar(console, source, description, total)
            : WithFinalLine(console, source, description, total);
    }

    /// <summary>
    /// Output that is not a terminal (a log, a pipe) gets one tqdm-style line at the end instead of a bar.
    /// </summary>
    private static IEnumerable<T> WithFinalLine<T>(IAnsiConsole console, IEnumerable<T> source, string description,
        long? total)
    {
        var started = TimeProvider.System.GetTimestamp();
        long count = 0;
        var outcome = ProgressOutcome.Failed;
        try
        {
            using var items = source.GetEnumerator();
            while (true)
            {
                outcome = ProgressOutcome.Failed;
                if (!items.MoveNext()) break;
                outcome = ProgressOutcome.Stopped;
                yield return items.Current;
                count++;
            }
            outcome = ProgressOutcome.Done;
        }
        finally
        {
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            var state = new ProgressState(description, count, total, elapsed, outcome);
            console.Profile.Out.Writer.WriteLine(state.ToString());
        }
    }

    private static IEnumerable<T> WithLiveBar<T>(IAnsiConsole console, IEnumerable<T> source, string description,
        long? total)
    {
        // Spectre.Console draws one live display at a time; a loop nested in a progress loop runs without a bar.
        if (Interlocked.CompareExchange(ref active, 1, 0) != 0)
        {
            foreach (var item in source) yield return item;
            yield break;
        }
        try
        {
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
            var rendering = console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new CountColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new RateColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(description.Length > 0 ? description : "progress"),
                        maxValue: total is > 0 ? total.Value : 1);
                    task.IsIndeterminate = total is null;
                    started.SetResult(task);
                    await finished.Task;
                    task.StopTask();
                });
            var progressTask = started.Task.GetAwaiter().GetResult();
            try
            {
                foreach (var item in source)
                {
                    yield return item;
                    progressTask.Increment(1);
                }
            }
            finally
            {
                finished.TrySetResult();
                rendering.GetAwaiter().GetResult();
            }
        }
        finally
        {
            Volatile.Write(ref active, 0);
        }
    }

    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.IsIndeterminate
                ? task.Value.ToString("F0", CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{task.Value:F0}/{task.MaxValue:F0}"));
    }

    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed
                ? string.Create(CultureInfo.InvariantCulture, $"{speed:F2} it/s")
                : "? it/s", new Style(Color.Grey));
    }
}
