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
