using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using Theon.Interactive.Arrays;

namespace Theon.Interactive.Tests;

/// <summary>
/// A page made from notebook outputs, the way an HTML export lays them out, opened in headless chromium with the
/// network off: plotly.js must come from the first chart's output and every chart must be drawn.
/// </summary>
[Collection(PlotlySessionCollection.Name)]
public partial class BrowserRenderingTests(ITestOutputHelper output)
{
    private const int ScatterPoints = 50;

    private static string OutputFolder =>
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "browser")).FullName;

    [Theory]
    [InlineData("plain")]
    [InlineData("requirejs")]
    public void Charts_and_graph_drawing_render_offline_in_chromium(string page)
    {
        Extension.Load();
        var chromium = HeadlessChromium.Find();
        var path = Path.Combine(OutputFolder, $"outputs-{page}.html");
        File.WriteAllText(path, NotebookPage(amdLoader: page == "requirejs"));

        var dom = chromium.DumpDom(path, TimeSpan.FromSeconds(20));
        var match = ResultsElement().Match(dom);
        Assert.True(match.Success, "the page's probe script wrote its results");
        var results = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value)).RootElement;
        output.WriteLine(results.ToString());

        Assert.True(results.GetProperty("plotly").GetBoolean(), "window.Plotly is defined");
        Assert.Equal(0, results.GetProperty("amdDefines").GetInt32());
        var charts = results.GetProperty("charts");
        Assert.Equal(3, charts.GetArrayLength());
        Assert.Equal(20, charts[0].GetProperty("pointsInData").GetInt32());
        foreach (var chart in charts.EnumerateArray())
        {
            Assert.True(chart.GetProperty("mainSvg").GetInt32() >= 1, $"{chart} has Plotly's .main-svg");
            Assert.Equal(chart.GetProperty("expectedTraces").GetInt32(), chart.GetProperty("traces").GetInt32());
        }
        Assert.Equal(ScatterPoints, charts[1].GetProperty("points").GetInt32());
        Assert.Equal(1, charts[0].GetProperty("lines").GetInt32());
        var graph = results.GetProperty("graph");
        Assert.True(graph.GetProperty("nodes").GetInt32() > 30, $"the XNOR cost's drawing is there: {graph}");
        Assert.Equal(graph.GetProperty("declaredNodes").GetInt32(), graph.GetProperty("nodes").GetInt32());
        Assert.True(graph.GetProperty("height").GetDouble() > 300, "the graph drawing has a real size");
        Assert.True(results.GetProperty("debugprintCollapsed").GetBoolean(), "debugprint starts collapsed");
        Assert.Equal(6, results.GetProperty("arrayCells").GetInt32());

        var png = Path.Combine(OutputFolder, $"outputs-{page}.png");
        chromium.Screenshot(path, png, TimeSpan.FromSeconds(20));
        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot has content");
        output.WriteLine($"screenshot: {png}");
    }

    /// <summary>
    /// Classic Jupyter Notebook 6 ships normalize.css 3, whose <c>summary { display: block; }</c> hides the
    /// disclosure marker: under that rule each summary must still be a list item with the ▸ marker, ▾ once open.
    /// </summary>
    [Fact]
    public void Collapsible_sections_show_their_marker_under_the_classic_notebooks_css()
    {
        Extension.Load();
        var chromium = HeadlessChromium.Find();
        var x = T.dscalar("x");
        var f = T.function([x], T.grad(x * x * x, x));
        var path = Path.Combine(OutputFolder, "disclosure-markers.html");
        File.WriteAllText(path, $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Theon collapsible sections</title><style>
            article, aside, details, figcaption, figure, footer, header, hgroup, main, menu, nav, section, summary {
              display: block;
            }
            </style></head><body>
            <div class="output_area">{{Html(TheonFormatterTests.XnorCost())}}</div>
            <div class="output_area">{{Html(f)}}</div>
            <pre id="theon-results"></pre>
            <script>
            (function () {
              var markers = function () {
                return Array.prototype.map.call(document.querySelectorAll('summary'), function (s) {
                  var style = getComputedStyle(s);
                  return style.display + ' ' + style.listStyleType;
                });
              };
              var collapsed = markers();
              document.querySelector('details').open = true;
              document.getElementById('theon-results').textContent =
                JSON.stringify({ collapsed: collapsed, firstOpen: markers()[0] });
            })();
            </script>
            </body></html>
            """);

        var results = ProbeResults(chromium, path);
        var collapsed = results.GetProperty("collapsed").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(collapsed.Count >= 2, "the variable's and the function's debugprint are there");
        Assert.All(collapsed, marker => Assert.Equal("list-item disclosure-closed", marker));
        Assert.Equal("list-item disclosure-open", results.GetProperty("firstOpen").GetString());
        var png = Path.Combine(OutputFolder, "disclosure-markers.png");
        chromium.Screenshot(path, png, TimeSpan.FromSeconds(2), width: 900, height: 1400);
        output.WriteLine($"screenshot: {png}");
    }

    private static string NotebookPage(bool amdLoader)
    {
        PlotlyJs.ResetSession();
        var host = new RecordingHost();
        var live = new LivePlot(host, TimeProvider.System, "validation error (%)", "epoch", null);
        for (var epoch = 1; epoch <= 20; epoch++) live.Add(epoch, 30.0 / epoch);
        live.Flush();
        var random = new Random(4);
        var xs = Enumerable.Range(0, ScatterPoints).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var ys = Enumerable.Range(0, ScatterPoints).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        string[] outputs =
        [
            // A notebook keeps the last update of each display in its place.
            .. host.Displays.Select(d => host.Updates.LastOrDefault(u => u.DisplayId == d.DisplayId).Html ?? d.Html),
            Html(Plot.Scatter(xs, ys, color: xs.Zip(ys, (x, y) => x * y), title: "points <coloured> & scaled")),
            Html(Plot.Line([new Series("train", [1.0, 0.6, 0.4]), new Series("valid", [1.1, 0.8, 0.7])],
                title: "loss")),
            TheonFormatterTests.XnorCost().ToDisplayString(HtmlFormatter.MimeType),
            ArrayTable.Render(new ArrayView([2, 3], "float64", i => (i * 0.5).ToString(CultureInfo.InvariantCulture)),
                "W"),
        ];
        var page = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
            .Append("<title>Theon outputs</title></head><body>\n");
        if (amdLoader)
            page.Append("<script>window.__amdDefines = 0; window.define = function () { window.__amdDefines++; };")
                .Append(" window.define.amd = {};</script>\n");
        foreach (var html in outputs.Where(o => o.Length > 0))
            page.Append("<div class=\"output_area\" style=\"margin:12px 0;\">\n").Append(html).Append("\n</div>\n");
        page.Append("""
            <pre id="theon-results"></pre>
            <script>
            setTimeout(function () {
              var plots = Array.prototype.slice.call(document.querySelectorAll('.theon-plot'));
              var graph = document.querySelector('svg.theon-graph');
              var result = {
                plotly: !!window.Plotly,
                amdDefines: window.__amdDefines || 0,
                charts: plots.map(function (p) { return {
                  id: p.id,
                  mainSvg: p.querySelectorAll('.main-svg').length,
                  traces: p.querySelectorAll('.scatterlayer .trace').length,
                  expectedTraces: (p.data || []).length,
                  pointsInData: (p.data || []).reduce(function (n, t) { return n + t.y.length; }, 0),
                  points: p.querySelectorAll('.scatterlayer .point').length,
                  lines: p.querySelectorAll('.scatterlayer .js-line').length }; }),
                graph: graph ? {
                  nodes: graph.querySelectorAll('.theon-node').length,
                  declaredNodes: Number(graph.getAttribute('data-nodes')),
                  height: graph.getBoundingClientRect().height } : null,
                debugprintCollapsed: !!document.querySelector('.theon-variable details:not([open])'),
                arrayCells: document.querySelectorAll('.theon-array-table td').length
              };
              document.getElementById('theon-results').textContent = JSON.stringify(result);
            }, 5000);
            </script>
            </body></html>
            """);
        return page.ToString();
    }

    /// <summary>What the page's probe script wrote into <c>#theon-results</c>, as JSON.</summary>
    private JsonElement ProbeResults(HeadlessChromium chromium, string path)
    {
        var match = ResultsElement().Match(chromium.DumpDom(path, TimeSpan.FromSeconds(2)));
        Assert.True(match.Success, "the page's probe script wrote its results");
        var results = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value)).RootElement;
        output.WriteLine(results.ToString());
        return results;
    }

    private static string Html(object value) => value.ToDisplayString(HtmlFormatter.MimeType);

    [GeneratedRegex("<pre id=\"theon-results\">(.+?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ResultsElement();
}
