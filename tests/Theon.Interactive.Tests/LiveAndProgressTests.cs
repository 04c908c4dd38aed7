using Spectre.Console;

namespace Theon.Interactive.Tests;

[Collection(PlotlySessionCollection.Name)]
public class LiveAndProgressTests
{
    public LiveAndProgressTests() => Extension.Load();

    [Fact]
    public void Live_plot_redraws_in_place_at_most_ten_times_a_second_and_shows_the_last_point()
    {
        PlotlyJs.ResetSession();
        var host = new RecordingHost();
        var clock = new ManualTimeProvider();
        var live = new LivePlot(host, clock, "validation error (%)", null, null);
        for (var i = 1; i <= 1000; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            live.Add(i, 100.0 / i);
        }
        Assert.Equal(2, host.Displays.Count);
        Assert.IsType<PlotlyLoader>(host.Displays[0].Value);
        Assert.Contains("plotly.js v", host.Displays[0].Html);
        var chartId = host.Displays[1].DisplayId;
        Assert.All(host.Updates, update => Assert.Equal(chartId, update.DisplayId));
        Assert.InRange(host.Updates.Count, 9, 11);
        Assert.True(((PlotFigure)host.Updates[^1].Value!).PointCount < 1000,
            "the last point waits for the interval to end");

        clock.Advance(LivePlot.MinRedrawInterval);
        var last = (PlotFigure)host.Updates[^1].Value!;
        Assert.Equal(1000, last.PointCount);
        var drawn = FigureJson.FromHtml(host.Updates[^1].Html).GetProperty("data")[0].GetProperty("y");
        Assert.Equal(0.1, FigureJson.Doubles(drawn)[^1]);
        Assert.DoesNotContain("plotly.js v", host.Updates[^1].Html);
        Assert.Equal(host.Updates.Count, live.Redraws);
    }

    [Fact]
    public void Live_plot_in_a_terminal_prints_a_summary_at_most_every_two_seconds()
    {
        var host = new RecordingHost(isTerminal: true);
        var clock = new ManualTimeProvider();
        var live = new LivePlot(host, clock, "error", null, null);
        for (var i = 1; i <= 100; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            live.Add(i, 1.0 / i);
        }
        clock.Advance(LivePlot.MinTerminalRedrawInterval);
        Assert.IsType<PlotFigure>(Assert.Single(host.Displays).Value);
        Assert.InRange(host.Updates.Count, 5, 6);
        Assert.StartsWith("Plot \"error\": 1 series, 100 points", host.Updates[^1].Html);
    }

    [Fact]
    public void Live_plot_draws_its_waiting_point_when_the_cell_ends()
    {
        var host = new RecordingHost();
        var clock = new ManualTimeProvider();
        var live = new LivePlot(host, clock, "t", null, null);
        for (var i = 1; i <= 30; i++) live.Add(i, 1.0 / i);
        Assert.Empty(host.Updates);
        Assert.Single(host.AtCellEnd);
        host.EndCell();
        Assert.Equal(30, ((PlotFigure)Assert.Single(host.Updates).Value!).PointCount);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(host.Updates);

        live.Add(31, 0.01);
        live.Add(32, 0.01);
        Assert.Single(host.AtCellEnd);
    }

    [Fact]
    public void Live_plot_keeps_one_line_per_series()
    {
        var host = new RecordingHost();
        var clock = new ManualTimeProvider();
        var live = new LivePlot(host, clock, null, "epoch", null);
        clock.Advance(TimeSpan.FromSeconds(1));
        live.Add("train", 1, 0.5);
        clock.Advance(TimeSpan.FromSeconds(1));
        live.Add("valid", 1, 0.7);
        var figure = FigureJson.Parse(live.Snapshot());
        var names = figure.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["train", "valid"], names);
        Assert.Equal(2, host.Updates.Count);
    }

    [Fact]
    public void Notebook_progress_updates_one_display_with_bounded_redraws_and_ends_done()
    {
        var host = new RecordingHost();
        var clock = new ManualTimeProvider();
        var seen = new List<int>();
        foreach (var epoch in ProgressLoop.Start(Enumerable.Range(1, 50).ToList(), "epochs", null, host, clock))
        {
            seen.Add(epoch);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.Equal(Enumerable.Range(1, 50), seen);
        var shown = Assert.Single(host.Displays);
        Assert.All(host.Updates, u => Assert.Equal(shown.DisplayId, u.DisplayId));
        Assert.InRange(host.Updates.Count, 5, 6);
        var final = (ProgressState)host.Updates[^1].Value!;
        Assert.Equal((50L, 50L, ProgressOutcome.Done), (final.Count, final.Total!.Value, final.Outcome));
        Assert.Equal(100.0, final.Rate!.Value, 6);
        Assert.Equal("epochs: 100%|████████████████████| 50/50 [00:00<00:00, 100.00 it/s]", final.ToString());
        Assert.Contains("data-outcome=\"done\"", host.Updates[^1].Html);
        Assert.Contains("width:100.0%", host.Updates[^1].Html);
    }

    [Fact]
    public void Progress_reports_a_break_as_stopped_and_a_failing_source_as_failed()
    {
        var host = new RecordingHost();
        var loop = ProgressLoop.Start(Enumerable.Range(0, 10), "<loop> & co", null, host, new ManualTimeProvider());
        foreach (var i in loop)
            if (i == 3) break;
        var stopped = (ProgressState)host.Updates[^1].Value!;
        Assert.Equal((3L, ProgressOutcome.Stopped), (stopped.Count, stopped.Outcome));
        Assert.Contains("&lt;loop&gt; &amp; co", host.Updates[^1].Html);

        static IEnumerable<int> Failing()
        {
            yield return 1;
            throw new InvalidOperationException("source broke");
        }
        Assert.Throws<InvalidOperationException>(
            () => ProgressLoop.Start(Failing(), "", null, host, new ManualTimeProvider()).ToList());
        var failed = (ProgressState)host.Updates[^1].Value!;
        Assert.Equal((1L, null, ProgressOutcome.Failed), (failed.Count, failed.Total, failed.Outcome));
    }

    [Fact]
    public void Progress_checks_its_arguments_before_iterating()
    {
        Assert.Throws<ArgumentNullException>(() => Notebook.progress<int>(null!, "x"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Notebook.progress([1, 2], "x", total: -1));
        Assert.Contains("total", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Terminal_progress_draws_a_spectre_bar_or_a_final_line_and_yields_every_item(bool interactive)
    {
        var output = new StringWriter();
        TerminalProgress.ConsoleOverride = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        try
        {
            var terminal = new RecordingHost(isTerminal: true);
            var items = ProgressLoop.Start(Enumerable.Range(0, 20).ToArray(), "epochs", null, terminal,
                TimeProvider.System).ToList();
            Assert.Equal(20, items.Count);
        }
        finally
        {
            TerminalProgress.ConsoleOverride = null;
        }
        var text = output.ToString();
        Assert.Contains("epochs", text);
        Assert.Contains("20/20", text);
        Assert.Contains("100%", text);
    }
}
