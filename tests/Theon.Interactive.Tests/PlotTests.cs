using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Interactive.Tests;

[Collection(PlotlySessionCollection.Name)]
public class PlotTests
{
    public PlotTests() => Extension.Load();

    [Fact]
    public void Cost_draws_every_cost_as_a_line_with_titles()
    {
        double[] costs = [0.9, 0.5, 0.3, 0.25];
        var figure = FigureJson.Parse(Plot.Cost(costs, title: "cost during training"));
        var trace = figure.GetProperty("data")[0];
        Assert.Equal("lines", trace.GetProperty("mode").GetString());
        Assert.Equal(costs, FigureJson.Doubles(trace.GetProperty("y")));
        Assert.Equal([0.0, 1, 2, 3], FigureJson.Doubles(trace.GetProperty("x")));
        var layout = figure.GetProperty("layout");
        Assert.Equal("cost during training", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("iteration", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Line_with_several_series_shows_a_legend_and_keeps_their_x()
    {
        var figure = FigureJson.Parse(Plot.Line(
            [new Series("train", [1.0, 0.5]), new Series("valid", [2.0, 1.5, 1.0], X: [10.0, 20, 30])], title: "loss"));
        var data = figure.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("valid", data[1].GetProperty("name").GetString());
        Assert.Equal([10.0, 20, 30], FigureJson.Doubles(data[1].GetProperty("x")));
        Assert.True(figure.GetProperty("layout").GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void Mismatched_x_and_y_is_an_error_naming_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Plot.Line([1.0, 2.0, 3.0], x: [1.0, 2.0]));
        Assert.Contains("x has 2 values but y has 3", error.Message);
    }

    [Fact]
    public void Scatter_reads_points_as_columns_or_rows_with_a_colour_per_point()
    {
        double[,] columns = { { 1, 2, 3 }, { 4, 5, 6 } };
        double[,] rows = { { 1, 4 }, { 2, 5 }, { 3, 6 } };
        foreach (var points in new[] { columns, rows })
        {
            var trace = FigureJson.Parse(Plot.Scatter(points, color: [0.1, 0.5, 0.9])).GetProperty("data")[0];
            Assert.Equal("markers", trace.GetProperty("mode").GetString());
            Assert.Equal([1.0, 2, 3], FigureJson.Doubles(trace.GetProperty("x")));
            Assert.Equal([4.0, 5, 6], FigureJson.Doubles(trace.GetProperty("y")));
            Assert.Equal([0.1, 0.5, 0.9], FigureJson.Doubles(trace.GetProperty("marker").GetProperty("color")));
        }
    }

    [Fact]
    public void Scatter_of_a_matrix_that_is_not_two_dimensional_points_names_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Plot.Scatter(new double[3, 4]));
        Assert.Contains("(2, N)", error.Message);
        Assert.Contains("got (3, 4)", error.Message);
        var colors = Assert.Throws<ArgumentException>(() => Plot.Scatter([1.0, 2.0], [3.0, 4.0], color: [1.0]));
        Assert.Contains("color has 1 values but there are 2 points", colors.Message);
    }

    [Fact]
    public void Long_lines_are_thinned_for_drawing_but_keep_extremes_and_the_last_point()
    {
        var costs = Enumerable.Range(0, 30000)
            .Select(i => Math.Exp(-i / 5000.0) + (i == 12345 ? 3 : 0) - (i == 23456 ? 1 : 0)).ToArray();
        var figure = Plot.Cost(costs);
        Assert.Equal(30000, figure.PointCount);
        var trace = FigureJson.Parse(figure).GetProperty("data")[0];
        var x = FigureJson.Doubles(trace.GetProperty("x"));
        var y = FigureJson.Doubles(trace.GetProperty("y"));
        Assert.InRange(y.Length, 100, Decimation.MaxLinePoints);
        Assert.Equal(costs.Max(), y.Max());
        Assert.Equal(costs.Min(), y.Min());
        Assert.Equal(29999, x[^1]);
        Assert.Equal(costs[^1], y[^1]);
        Assert.True(x.Zip(x.Skip(1)).All(p => p.First < p.Second), "thinned x stays in order");
    }

    [Fact]
    public void Html_carries_plotly_js_once_per_session_and_escapes_the_title()
    {
        PlotlyJs.ResetSession();
        var title = "</script><b>cost & \"loss\"</b>";
        var first = Plot.Cost([1.0, 0.5], title: title).ToDisplayString(HtmlFormatter.MimeType);
        var second = Plot.Cost([1.0, 0.5], title: title).ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("plotly.js v" + PlotlyJs.Version, first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.True(second.Length < 5000, $"a later chart is small ({second.Length} characters)");
        Assert.DoesNotContain("</script><b>", second);
        var layout = FigureJson.FromHtml(second).GetProperty("layout");
        Assert.Equal(title, layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(2, CountOf(first, "<script") - CountOf(second, "<script") + 1);
    }

    [Fact]
    public void Plain_text_summarises_each_series_with_a_sparkline()
    {
        var text = Plot.Line([3.0, 2.0, 1.0, 0.5], title: "cost", name: "train")
            .ToDisplayString(PlainTextFormatter.MimeType);
        Assert.StartsWith("Plot \"cost\": 1 series, 4 points", text);
        Assert.Contains("train: █▅▂▁", text);
        Assert.Contains("first 3, last 0.5", text);
    }

    [Fact]
    public void Non_finite_values_are_gaps_and_the_plotly_net_chart_carries_the_same_figure()
    {
        var figure = Plot.Line([1.0, double.NaN, double.PositiveInfinity, 0.5], title: "with gaps");
        var y = FigureJson.Parse(figure).GetProperty("data")[0].GetProperty("y");
        Assert.Equal([JsonValueKind.Number, JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Number],
            y.EnumerateArray().Select(e => e.ValueKind));

        var scatter = Plot.Scatter([1.0, 2.0], [3.0, 4.0], color: [0.0, 1.0], title: "s");
        var viaPlotlyNet = System.Text.Json.JsonDocument.Parse(
            Plotly.NET.GenericChart.toFigureJson(scatter.ToGenericChart())).RootElement;
        var trace = viaPlotlyNet.GetProperty("data")[0];
        Assert.Equal([3.0, 4.0], FigureJson.Doubles(trace.GetProperty("y")));
        Assert.Equal("Viridis", trace.GetProperty("marker").GetProperty("colorscale").GetString());
        Assert.Equal("s", viaPlotlyNet.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
