using System.Text.Json;
using Plotly.NET;

namespace Theon.Interactive;

/// <summary>
/// A plotly.js figure (JSON) as a Plotly.NET chart, property by property, for users who style it further.
/// </summary>
internal static class PlotlyNetChart
{
    public static GenericChart FromFigureJson(string figureJson)
    {
        using var document = JsonDocument.Parse(figureJson);
        var root = document.RootElement;
        var charts = root.GetProperty("data").EnumerateArray().Select(traceJson =>
        {
            var trace = new Trace2D(traceJson.GetProperty("type").GetString()!);
            foreach (var property in traceJson.EnumerateObject().Where(p => p.Name != "type"))
                trace.SetProperty(property.Name, ToObject(property.Value));
            return GenericChart.ofTraceObject(true, trace);
        }).ToList();
        var layout = new Layout();
        foreach (var property in root.GetProperty("layout").EnumerateObject())
            layout.SetProperty(property.Name, ToObject(property.Value));
        return GenericChart.setLayout(layout, GenericChart.combine(charts));
    }

    private static object? ToObject(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value)),
        JsonValueKind.Array when value.EnumerateArray().All(IsNumberOrNull) =>
            value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : (double?)null)
                .ToArray(),
        JsonValueKind.Array => value.EnumerateArray().Select(ToObject).ToArray(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static bool IsNumberOrNull(JsonElement e) => e.ValueKind is JsonValueKind.Number or JsonValueKind.Null;
}
