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

    /// <summary>
    /// The Plotly.NET chart, for styling beyond what <see cref="Plot"/> offers (built from the figure's JSON; it needs
    /// the FSharp.Core that Plotly.NET was built against, which notebook display itself does not).
    /// </summary>
    public GenericChart ToGenericChart() => PlotlyNetChart.FromFigureJson(ToFigureJson());

    /// <summary>The figure as plotly.js JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public string ToFigureJson() => FigureWriter.Write(this);

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
            <div class="theon-plot" id="{{Html.Text(elementId)}}"
             style="width:100%;min-width:320px;height:420px;"></div>
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
}
