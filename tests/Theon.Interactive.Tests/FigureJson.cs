using System.Text.Json;
using System.Text.RegularExpressions;

namespace Theon.Interactive.Tests;

internal static partial class FigureJson
{
    public static JsonElement Parse(PlotFigure figure) => JsonDocument.Parse(figure.ToFigureJson()).RootElement;

    /// <summary>The figure object embedded in a chart's HTML, parsed back.</summary>
    public static JsonElement FromHtml(string html)
    {
        var match = FigureLine().Match(html);
        Assert.True(match.Success, "the chart's script declares `var figure = {...};`");
        return JsonDocument.Parse(match.Groups[1].Value).RootElement;
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [GeneratedRegex(@"var figure = (\{.*\});\n")]
    private static partial Regex FigureLine();
}
