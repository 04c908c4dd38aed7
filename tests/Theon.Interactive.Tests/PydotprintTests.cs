using System.Text.RegularExpressions;
using System.Xml.Linq;
using Theon.Interactive.Formatters;
using static Theon.T;

namespace Theon.Interactive.Tests;

/// <summary>Theano's <c>theano.printing.pydotprint</c>: a graph written to a file, drawn as the notebook draws it.</summary>
public sealed class PydotprintTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string folder = Directory.CreateTempSubdirectory("theon-pydotprint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_functions_optimized_graph_is_written_as_the_svg_the_notebook_shows()
    {
        var x = dvector("x");
        var f = function([x], exp(x) * 2 + 0);

        var path = Notebook.pydotprint(f, Path.Combine(folder, "f.svg"));

        var svg = XDocument.Load(path).Root!;
        Assert.Equal(Svg + "svg", svg.Name);
        var labels = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("x", labels);
        Assert.DoesNotContain(labels, l => l.Contains("add", StringComparison.Ordinal));   // x + 0 was optimized away
        var shown = Regex.Match(GraphHtml.Function(CompiledFunction.Of(f)), "<svg.*</svg>", RegexOptions.Singleline).Value;
        Assert.True(XNode.DeepEquals(XElement.Parse(WithoutIds(shown)), XElement.Parse(WithoutIds(svg.ToString()))),
            "the file's drawing is not the notebook's");
    }

    [Fact]
    public void A_variable_as_html_carries_pp_debugprint_and_the_drawing()
    {
        var x = dscalar("x");
        var y = pow(x, 3);
        y.name = "y";

        var path = Notebook.pydotprint(y, Path.Combine(folder, "y.html"));

        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>y</title>", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(pp(y)), html);
        Assert.Contains("debugprint", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public void Without_an_extension_the_format_argument_decides()
    {
        var path = Notebook.pydotprint(dscalar("x") * 2, Path.Combine(folder, "graph"), format: "html");

        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
    }

    [Fact]
    public void A_format_theon_does_not_write_is_refused_naming_it_and_writes_nothing()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Notebook.pydotprint(dscalar("x") * 2, Path.Combine(folder, "graph.png")));

        Assert.Contains("'png'", error.Message);
        Assert.Contains("svg, html", error.Message);
        Assert.Empty(Directory.EnumerateFiles(folder));
    }

    private static string WithoutIds(string svg) =>
        Regex.Replace(svg, "theon-graph-\\d+", "theon-graph");
}

/// <summary>pydotprint draws a scan as the notebook does: a frame holding its step, large steps collapsed.</summary>
public sealed class PydotprintScanTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string folder = Directory.CreateTempSubdirectory("theon-pydotprint-scan-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static List<XElement> WithClass(XElement svg, string css) =>
        [.. svg.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.Split(' ').Contains(css) == true)];

    [Fact]
    public void A_compiled_scan_is_a_frame_with_its_step_in_the_svg()
    {
        var final = ScanDrawingTests.Power();
        var power = function([.. GraphWalk.Inputs([final]).Where(v => v is not (Constant or SharedVariable))], final);

        var svg = XDocument.Load(Notebook.pydotprint(power, Path.Combine(folder, "power.svg"))).Root!;

        var frame = Assert.Single(WithClass(svg, "theon-frame"));
        Assert.Equal("for{cpu,scan_fn}", frame.Element(Svg + "text")!.Value);
        Assert.NotEmpty(WithClass(frame, "theon-input"));
        Assert.Contains(WithClass(frame, "theon-op"), g => g.Element(Svg + "text")!.Value.Contains("mul", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gradients_backward_step_is_collapsed_in_the_svg_expandable_in_html_and_drawn_whole_on_request()
    {
        var (_, gradients) = ScanDrawingTests.Rnn();
        var g = gradients[1];

        var collapsed = XDocument.Load(Notebook.pydotprint(g, Path.Combine(folder, "g.svg"))).Root!;
        var whole = XDocument.Load(Notebook.pydotprint(g, Path.Combine(folder, "g-whole.svg"), max_inner_nodes: int.MaxValue)).Root!;
        var html = File.ReadAllText(Notebook.pydotprint(g, Path.Combine(folder, "g.html")));

        Assert.Single(WithClass(collapsed, "theon-collapsed"));
        Assert.Single(WithClass(collapsed, "theon-collapsed-frame"));
        Assert.Empty(WithClass(whole, "theon-collapsed"));
        Assert.True(WithClass(whole, "theon-node").Count > WithClass(collapsed, "theon-node").Count + 20);
        Assert.Contains("<details class=\"theon-step\">", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(html, "<svg ").Count);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_negative_limit_is_refused_naming_it_and_writes_nothing()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Notebook.pydotprint(ScanDrawingTests.Power(), Path.Combine(folder, "p.svg"), max_inner_nodes: -1));

        Assert.Equal("max_inner_nodes", error.ParamName);
        Assert.Contains("got -1", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder));
    }
}
