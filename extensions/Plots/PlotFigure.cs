using System.Globalization;
using System.Text;
using Plotly.NET;

namespace Theon.Interactive;

/// <summary>
/// A chart made by <see cref="Plot"/>: shown as an interactive Plotly chart in a notebook (text/html, offline) and as
/// a one-line summary with a sparkline in a terminal (text/plain).
/// </summary>
public sealed class PlotFigure
{
    private static long nextId;

    internal PlotFigure(string? title, IReadOnlyList<TraceData> traces, string? xTitle = null, string? yTitle = null,
        string? elementId = null)
    {
        Title = title;
        Traces = traces;
        XTitle = xTitle;
        YTitle = yTitle;
        ElementId = elementId ?? NewElementId();
    }

    public string? Title { get; }

    public string? XTitle { get; }

    public string? YTitle { get; }

    /// <summary>Number of points over all series, as given (before any thinning for drawing).</summary>
    public int PointCount => Traces.Sum(t => t.Y.Length);

    internal IReadOnlyList<TraceData> Traces { get; }

    internal string ElementId { get; }

    internal static string NewElementId() => $"theon-plot-{Interlocked.Increment(ref nextId)}-{Guid.NewGuid():N}";

    /// <summary>The Plotly.NET chart, for styling beyond what <see cref="Plot"/> offers.</summary>
    public GenericChart ToGenericChart()
    {
        // A live chart starts with no points, and Plotly.NET cannot combine zero traces.
        IReadOnlyList<TraceData> traces = Traces.Count > 0 ? Traces : [new TraceData("y", [], [], TraceStyle.Lines)];
        var chart = GenericChart.combine(traces.Select(ToTrace).Select(t => GenericChart.ofTraceObject(true, t)));
        return GenericChart.setLayout(MakeLayout(), chart);
    }

    /// <summary>The figure as plotly.js JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public string ToFigureJson() => GenericChart.toFigureJson(ToGenericChart());

    /// <summary>A div and the script that draws it; the first chart of a session also carries plotly.js.</summary>
    public string ToHtml() => PlotlyJs.LoaderOncePerSession() + ChartHtml(ElementId, ToFigureJson());

    public override string ToString()
    {
        var text = new StringBuilder(Title is null ? "Plot" : $"Plot \"{Title}\"");
        text.Append(CultureInfo.InvariantCulture, $": {Traces.Count} series, {PointCount} points");
        foreach (var trace in Traces.Where(t => t.Y.Length > 0))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n  {trace.Name}: {Sparkline.Of(trace.Y)}  first {trace.Y[0]:G4}, last {trace.Y[^1]:G4}, ");
            text.Append(CultureInfo.InvariantCulture, $"min {trace.Y.Min():G4}, max {trace.Y.Max():G4}");
        }
        return text.ToString();
    }

    internal static string ChartHtml(string elementId, string figureJson)
    {
        var id = Html.ScriptString(elementId);
        return $$"""
            <div class="theon-plot" id="{{Html.Text(elementId)}}" style="width:100%;min-width:320px;height:420px;"></div>
            <script type="text/javascript">
            (function () {
              var id = {{id}};
              var figure = {{Html.ScriptJson(figureJson)}};
              var config = {responsive: true, displaylogo: false};
              function attempt(tries) {
                var element = document.getElementById(id);
                if (!element) return;
                if (window.Plotly) { window.Plotly.react(element, figure.data, figure.layout, config); return; }
                if (tries < 400) { setTimeout(function () { attempt(tries + 1); }, 25); return; }
                element.textContent = "plotly.js is not loaded: run the cell that first drew a chart in this session.";
              }
              attempt(0);
            })();
            </script>
            """;
    }

    private Trace ToTrace(TraceData data)
    {
        var trace = new Trace2D("scatter");
        var (x, y) = data.Style == TraceStyle.Lines ? Decimation.MinMax(data.X, data.Y) : (data.X, data.Y);
        trace.SetProperty("name", data.Name);
        trace.SetProperty("x", x);
        trace.SetProperty("y", y);
        trace.SetProperty("mode", data.Style == TraceStyle.Lines ? "lines" : "markers");
        if (data.Style == TraceStyle.Markers)
        {
            var marker = new Dictionary<string, object> { ["size"] = 6 };
            if (data.Color is not null)
            {
                marker["color"] = data.Color;
                marker["colorscale"] = "Viridis";
                marker["showscale"] = true;
            }
            trace.SetProperty("marker", marker);
        }
        return trace;
    }

    private Layout MakeLayout()
    {
        var layout = new Layout();
        if (Title is not null) layout.SetProperty("title", new Dictionary<string, object> { ["text"] = Title });
        layout.SetProperty("xaxis", Axis(XTitle));
        layout.SetProperty("yaxis", Axis(YTitle));
        layout.SetProperty("showlegend", Traces.Count > 1);
        layout.SetProperty("margin", new Dictionary<string, object> { ["l"] = 60, ["r"] = 20, ["t"] = 50, ["b"] = 50 });
        return layout;
    }

    private static Dictionary<string, object> Axis(string? title) =>
        title is null
            ? new() { ["automargin"] = true }
            : new() { ["automargin"] = true, ["title"] = new Dictionary<string, object> { ["text"] = title } };
}
