namespace Theon.Interactive;

/// <summary>
/// A line chart shown once and redrawn in place (Jupyter's <c>update_display_data</c>) as points arrive. Redraws are
/// throttled to one per <see cref="MinRedrawInterval"/> (<see cref="MinTerminalRedrawInterval"/> in a terminal, where
/// each redraw prints a summary); a point added inside the interval is drawn when it ends, so the last point is
/// always shown.
/// </summary>
public sealed class LivePlot
{
    public static readonly TimeSpan MinRedrawInterval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MinTerminalRedrawInterval = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly List<(string Name, List<double> X, List<double> Y)> series = [];
    private readonly TimeProvider clock;
    private readonly string? title, xTitle, yTitle;
    private readonly string elementId = PlotFigure.NewElementId();
    private readonly INotebookHost host;
    private readonly DisplayHandle handle;
    private readonly TimeSpan interval;
    private long lastRedraw;
    private bool redrawPending;
    private bool flushesAtCellEnd;
    private ITimer? timer;

    internal LivePlot(INotebookHost host, TimeProvider clock, string? title, string? xTitle, string? yTitle)
    {
        this.host = host;
        this.clock = clock;
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        interval = host.IsTerminal ? MinTerminalRedrawInterval : MinRedrawInterval;
        // A live chart's own output is replaced on every redraw, so plotly.js must live in an output of its own.
        if (!host.IsTerminal && !PlotlyJs.SentThisSession) host.Display(new PlotlyLoader());
        handle = host.Display(Snapshot());
        lastRedraw = clock.GetTimestamp();
    }

    /// <summary>How many times the chart was redrawn after it was first shown.</summary>
    public int Redraws { get; private set; }

    public int PointCount
    {
        get { lock (gate) return series.Sum(s => s.Y.Count); }
    }

    internal static LivePlot Start(string? title, string? xTitle, string? yTitle) =>
        new(Notebook.Host ?? throw new InvalidOperationException(Notebook.NoHost("Plot.Live(...)")),
            TimeProvider.System, title, xTitle, yTitle);

    /// <summary>Adds a point at x = the number of points so far.</summary>
    public void Add(double y)
    {
        lock (gate) Add("y", SeriesNamed("y").Y.Count, y);
    }

    public void Add(double x, double y) => Add("y", x, y);

    /// <summary>Adds a point to the named series; each series is its own line.</summary>
    public void Add(string seriesName, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(seriesName);
        lock (gate)
        {
            var (_, xs, ys) = SeriesNamed(seriesName);
            xs.Add(x);
            ys.Add(y);
            if (redrawPending) return;
            var sinceLast = clock.GetElapsedTime(lastRedraw);
            if (sinceLast >= interval)
            {
                RedrawLocked();
                return;
            }
            redrawPending = true;
            FlushAtCellEnd();
            timer?.Dispose();
            timer = clock.CreateTimer(_ => Flush(), null, interval - sinceLast, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Redraws now if points were added since the last redraw.</summary>
    public void Flush()
    {
        lock (gate)
        {
            if (!redrawPending) return;
            RedrawLocked();
        }
    }

    /// <summary>The chart as it stands, as a still figure.</summary>
    public PlotFigure Snapshot()
    {
        lock (gate)
        {
            var traces = series
                .Select(s => new TraceData(s.Name, s.X.ToArray(), s.Y.ToArray(), TraceStyle.Lines))
                .ToArray();
            return new PlotFigure(title, traces, xTitle, yTitle, elementId);
        }
    }

    /// <summary>
    /// Once per cell, so that a point still waiting for its interval is drawn before the cell's outputs close.
    /// </summary>
    private void FlushAtCellEnd()
    {
        if (flushesAtCellEnd) return;
        flushesAtCellEnd = true;
        host.WhenCellEnds(() =>
        {
            lock (gate) flushesAtCellEnd = false;
            Flush();
        });
    }

    private void RedrawLocked()
    {
        redrawPending = false;
        timer?.Dispose();
        timer = null;
        handle.Update(Snapshot());
        lastRedraw = clock.GetTimestamp();
        Redraws++;
    }

    private (string Name, List<double> X, List<double> Y) SeriesNamed(string name)
    {
        foreach (var s in series)
            if (s.Name == name) return s;
        var added = (name, new List<double>(), new List<double>());
        series.Add(added);
        return added;
    }
}

/// <summary>An output that only defines plotly.js for the session (empty once it has been sent).</summary>
internal sealed class PlotlyLoader
{
    public override string ToString() => $"plotly.js {PlotlyJs.Version}";
}
