using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.DotNet.Interactive.Formatting;
using static Theon.T;

namespace Theon.Interactive.Tests;

public partial class TheonFormatterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public TheonFormatterTests() => Extension.Load();

    private static string HtmlOf(object value) => value.ToDisplayString(HtmlFormatter.MimeType);

    private static XElement Drawing(string html) => XElement.Parse(SvgElement().Match(html).Value);

    private static int CountNodes(XElement svg, string kind) =>
        svg.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == $"theon-node theon-{kind}");

    /// <summary>03-xnor.csx's graph, up to the cost.</summary>
    internal static Variable XnorCost()
    {
        var rng = new Random(2);
        var x = matrix("x");
        var w1 = shared(new[] { rng.NextDouble(), rng.NextDouble() }, name: "w1");
        var w2 = shared(new[] { rng.NextDouble(), rng.NextDouble() }, name: "w2");
        var w3 = shared(new[] { rng.NextDouble(), rng.NextDouble() }, name: "w3");
        var b1 = shared(1.0, name: "b1");
        var b2 = shared(1.0, name: "b2");
        var a1 = 1 / (1 + exp(-dot(x, w1) - b1));
        var a2 = 1 / (1 + exp(-dot(x, w2) - b1));
        var x2 = stack([a1, a2], axis: 1);
        var a3 = 1 / (1 + exp(-dot(x2, w3) - b2));
        var a_hat = vector("a_hat");
        return -(a_hat * log(a3) + (1 - a_hat) * log(1 - a3)).sum();
    }

    [Fact]
    public void Variable_shows_pp_a_collapsible_debugprint_and_a_drawing_of_its_graph()
    {
        var cost = XnorCost();
        var html = HtmlOf(cost);
        Assert.Contains($"<pre class=\"theon-pp\"", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(pp(cost)), html);
        Assert.Contains("<details><summary style=\"display:list-item;cursor:pointer;\">debugprint</summary>", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(debugprint(cost)), html);
        var svg = Drawing(html);
        Assert.Equal(GraphWalk.TopoSort([cost]).Count, CountNodes(svg, "op"));
        Assert.Equal(5, CountNodes(svg, "shared"));
        Assert.Equal(2, CountNodes(svg, "input"));
        Assert.Equal(1, CountNodes(svg, "output"));
        Assert.True(CountNodes(svg, "constant") >= 1);
        Assert.Equal(pp(cost), cost.ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Fact]
    public void Names_with_markup_characters_are_escaped_everywhere()
    {
        var x = dscalar("a<b&c");
        var y = sqr(x) + 2;
        y.name = "y<&>";
        var html = HtmlOf(y);
        Assert.DoesNotContain("a<b&c", html);
        Assert.Contains("a&lt;b&amp;c", html);
        var svg = Drawing(html);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "a<b&c");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "y<&>");
    }

    [Fact]
    public void Compiled_function_shows_signature_optimizer_summary_rewrites_and_optimized_graph()
    {
        var x = dscalar("x");
        var gy = grad(x * x * x, x);
        var f = function([x], gy);
        var compiled = CompiledFunction.Of(f);
        var html = HtmlOf(f);
        Assert.Contains("<b>function</b>(x: TensorType(float64, scalar))", html);
        var removed = compiled.NodesBefore - compiled.NodesAfter;
        Assert.Contains($"optimizer: {compiled.NodesBefore} nodes → {compiled.NodesAfter} ({removed} removed)", html);
        Assert.True(removed > 0, "the gradient of x**3 simplifies");
        if (compiled.RewritesApplied.Count > 0)
            Assert.Contains(System.Net.WebUtility.HtmlEncode(compiled.RewritesApplied[0]), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(pp(f)), html);
        var svg = Drawing(html);
        Assert.Equal(compiled.NodesAfter, CountNodes(svg, "op"));
        Assert.Equal(1, CountNodes(svg, "output"));
        Assert.Equal(SvgId().Replace(html, "theon-graph-N"), SvgId().Replace(HtmlOf(compiled), "theon-graph-N"));
        Assert.StartsWith("function(x: TensorType(float64, scalar))", f.ToDisplayString(PlainTextFormatter.MimeType));
        var summaries = Summaries().Matches(html);
        Assert.NotEmpty(summaries);
        Assert.All(summaries, s => Assert.Contains("style=\"display:list-item;", s.Groups[1].Value));
        Assert.Contains("debugprint (optimized, with execution order)</summary>", html);
    }

    [Fact]
    public void Function_with_updates_draws_each_update_as_an_output()
    {
        var x = vector("x");
        var w = shared(new double[] { 1, 2 }, name: "w");
        var cost = sum(sqr(x - w));
        var train = function([x], cost, updates: [(w, w - 0.1 * grad(cost, w))]);
        var html = HtmlOf(train);
        Assert.Contains("updates: w", html);
        var svg = Drawing(html);
        Assert.Equal(2, CountNodes(svg, "output"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "w (update)");
    }

    [Fact]
    public void NDArray_is_a_table_and_its_text_is_numpys()
    {
        var small = np.arange(6.0).reshape(2, 3);
        var table = XElement.Parse(HtmlOf(small)).Element("table")!;
        Assert.Equal(["0.", "1.", "2.", "3.", "4.", "5."], table.Descendants("td").Select(td => td.Value));
        Assert.Equal(small.ToString(), small.ToDisplayString(PlainTextFormatter.MimeType));
        var large = np.arange(10000L).reshape(100, 100);
        var summary = XElement.Parse(HtmlOf(large));
        Assert.Contains("array shape (100, 100) dtype int64 (summarised: 10000 elements)",
            summary.Elements("div").First().Value);
        Assert.Equal("9999", summary.Descendants("td").Last().Value);
        Assert.Equal(49, summary.Descendants("td").Count());
    }

    [Fact]
    public void Shared_variable_shows_name_type_and_value()
    {
        var w = shared(np.ones(2, 3), name: "W<1>");
        var html = HtmlOf(w);
        Assert.Contains("shared variable <b>W&lt;1&gt;</b> : TensorType(float64, matrix)", html);
        Assert.Equal(6, XElement.Parse(html).Descendants("td").Count());
        Assert.StartsWith("shared variable W<1> : TensorType(float64, matrix)\n",
            w.ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Fact]
    public void Scatter_takes_theon_arrays_of_points_and_colours()
    {
        var points = np.arange(8.0).reshape(2, 4);
        var trace = FigureJson.Parse(Plot.Scatter(points, color: np.arange(4.0).reshape(4, 1))).GetProperty("data")[0];
        Assert.Equal([0.0, 1, 2, 3], FigureJson.Doubles(trace.GetProperty("x")));
        Assert.Equal([4.0, 5, 6, 7], FigureJson.Doubles(trace.GetProperty("y")));
        var error = Assert.Throws<ArgumentException>(() => Plot.Scatter(points, color: np.ones(3)));
        Assert.Contains("color has shape (3,) (3 values) but there are 4 points", error.Message);
        var notPoints = Assert.Throws<ArgumentException>(() => Plot.Scatter(np.arange(8.0)));
        Assert.Contains("got an array of shape (8,)", notPoints.Message);
    }

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    /// <summary>Each summary's attributes: its disclosure marker must not depend on the notebook's CSS.</summary>
    [GeneratedRegex("<summary([^>]*)>")]
    private static partial Regex Summaries();

    [GeneratedRegex("theon-graph-[0-9]+")]
    private static partial Regex SvgId();
}
