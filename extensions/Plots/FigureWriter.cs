using System.Text;
using System.Text.Json;

namespace Theon.Interactive;

/// <summary>
/// Writes a figure as plotly.js JSON with System.Text.Json. The notebook path runs no F# code, so charts also work
/// in hosts whose FSharp.Core is older than the one Plotly.NET was built against (.NET Interactive 1.0.712001 ships
/// FSharp.Core 10.0.0.0; Plotly.NET 6.0.0 needs 10.1.0.0). Non-finite numbers become null, which plotly.js draws
/// as a gap.
/// </summary>
internal static class FigureWriter
{
    public static string Write(PlotFigure figure)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            IReadOnlyList<TraceData> traces = figure.Traces.Count > 0
                ? figure.Traces
                : [new TraceData("y", [], [], TraceStyle.Lines)];
            foreach (var trace in traces) WriteTrace(json, trace);
            json.WriteEndArray();
            WriteLayout(json, figure);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTrace(Utf8JsonWriter json, TraceData trace)
    {
        var (x, y) = trace.Style == TraceStyle.Lines ? Decimation.MinMax(trace.X, trace.Y) : (trace.X, trace.Y);
        json.WriteStartObject();
        json.WriteString("type", "scatter");
        json.WriteString("name", trace.Name);
        json.WriteString("mode", trace.Style == TraceStyle.Lines ? "lines" : "markers");
        Numbers(json, "x", x);
        Numbers(json, "y", y);
        if (trace.Style == TraceStyle.Markers)
        {
            json.WriteStartObject("marker");
            json.WriteNumber("size", 6);
            if (trace.Color is { } color)
            {
                Numbers(json, "color", color);
                json.WriteString("colorscale", "Viridis");
                json.WriteBoolean("showscale", true);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteLayout(Utf8JsonWriter json, PlotFigure figure)
    {
        json.WriteStartObject("layout");
        if (figure.Title is not null) Titled(json, "title", figure.Title);
        Axis(json, "xaxis", figure.XTitle);
        Axis(json, "yaxis", figure.YTitle);
        json.WriteBoolean("showlegend", figure.Traces.Count > 1);
        json.WriteStartObject("margin");
        json.WriteNumber("l", 60);
        json.WriteNumber("r", 20);
        json.WriteNumber("t", 50);
        json.WriteNumber("b", 50);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Axis(Utf8JsonWriter json, string name, string? title)
    {
        json.WriteStartObject(name);
        json.WriteBoolean("automargin", true);
        if (title is not null) Titled(json, "title", title);
        json.WriteEndObject();
    }

    private static void Titled(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value)) json.WriteNumberValue(value);
            else json.WriteNullValue();
        }
        json.WriteEndArray();
    }
}
