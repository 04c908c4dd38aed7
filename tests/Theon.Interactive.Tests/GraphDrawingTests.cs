using System.Diagnostics;
using System.Xml.Linq;
using Theon.Interactive.Graphs;

namespace Theon.Interactive.Tests;

public class GraphDrawingTests(ITestOutputHelper output)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The XNOR walkthrough's first layer: a1 = 1 / (1 + exp(-dot(x, w1) - b1)).</summary>
    internal static GraphModel NeuronGraph()
    {
        var g = new GraphModel();
        var x = g.Add("x", GraphNodeKind.Input, "TensorType(float64, matrix)");
        var w1 = g.Add("w1", GraphNodeKind.Shared, "TensorType(float64, vector)");
        var b1 = g.Add("b1", GraphNodeKind.Shared);
        var one = g.Add("TensorConstant{1}", GraphNodeKind.Constant);
        var dot = g.Add("dot", GraphNodeKind.Apply);
        var neg = g.Add("neg", GraphNodeKind.Apply);
        var sub = g.Add("sub", GraphNodeKind.Apply);
        var exp = g.Add("exp", GraphNodeKind.Apply);
        var add = g.Add("add", GraphNodeKind.Apply);
        var div = g.Add("true_div", GraphNodeKind.Apply);
        var a1 = g.Add("a1", GraphNodeKind.Output, "TensorType(float64, vector)");
        g.Connect(x, dot, "0");
        g.Connect(w1, dot, "1");
        g.Connect(dot, neg);
        g.Connect(neg, sub, "0");
        g.Connect(b1, sub, "1");
        g.Connect(sub, exp);
        g.Connect(one, add, "0");
        g.Connect(exp, add, "1");
        g.Connect(one, div, "0");
        g.Connect(add, div, "1");
        g.Connect(div, a1);
        return g;
    }

    [Fact]
    public void Svg_has_one_styled_shape_per_node_and_one_arrow_per_edge()
    {
        var svg = XElement.Parse(SvgGraph.Render(NeuronGraph(), caption: "a1"));
        var nodes = svg.Descendants(Svg + "g")
            .Where(g => ((string?)g.Attribute("class"))?.StartsWith("theon-node ") == true).ToList();
        Assert.Equal(11, nodes.Count);
        Assert.Equal(6, nodes.Count(n => (string?)n.Attribute("class") == "theon-node theon-op"));
        Assert.Equal(2, nodes.Count(n => (string?)n.Attribute("class") == "theon-node theon-shared"));
        Assert.Single(nodes, n => (string?)n.Attribute("class") == "theon-node theon-constant");
        Assert.Equal(11, svg.Descendants(Svg + "path").Count(p => (string?)p.Attribute("class") == "theon-edge"));
        Assert.Contains(nodes, n => n.Element(Svg + "title")!.Value == "x\nTensorType(float64, matrix)");
        Assert.Equal("0", (string?)svg.Attribute("data-crossings"));
    }

    [Fact]
    public void Labels_with_markup_characters_are_escaped_and_long_ones_shortened()
    {
        var g = new GraphModel();
        var input = g.Add("<x & y>", GraphNodeKind.Input);
        var op = g.Add("Elemwise{" + new string('a', 100) + "}", GraphNodeKind.Apply);
        g.Connect(input, op, "0 <matrix>");
        var text = SvgGraph.Render(g);
        Assert.Contains("&lt;x &amp; y&gt;", text);
        var svg = XElement.Parse(text);
        var labels = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("<x & y>", labels);
        Assert.Contains(labels, l => l.Length == SvgGraph.MaxLabelLength && l.EndsWith('…'));
        Assert.Contains(svg.Descendants(Svg + "title"), t => t.Value == "0 <matrix>");
    }

    [Fact]
    public void Inputs_are_on_top_constants_sit_above_their_use_and_every_edge_points_down()
    {
        var g = NeuronGraph();
        var layout = SvgGraph.Layout(g);
        Assert.Equal(0, layout.Nodes[0].Layer);
        Assert.Equal(layout.Nodes[8].Layer - 1, layout.Nodes[3].Layer);
        Assert.Equal(layout.Nodes[6].Layer - 1, layout.Nodes[2].Layer);
        Assert.Equal(layout.Nodes.Max(n => n.Layer), layout.Nodes[10].Layer);
        foreach (var route in layout.EdgeRoutes)
            Assert.True(route.Zip(route.Skip(1)).All(p => p.Second.Y > p.First.Y), "edges run top to bottom");
    }

    [Fact]
    public void Boxes_in_a_layer_never_overlap()
    {
        AssertNoOverlaps(SvgGraph.Layout(RandomDag(200, seed: 7)));
    }

    internal static void AssertNoOverlaps(GraphLayout layout)
    {
        foreach (var layer in layout.Nodes.GroupBy(n => n.Layer))
        {
            var boxes = layer.OrderBy(n => n.X).ToArray();
            for (var i = 1; i < boxes.Length; i++)
                Assert.True(boxes[i].X >= boxes[i - 1].X + boxes[i - 1].Width + LayeredLayout.NodeGap - 1e-6);
        }
    }

    [Fact]
    public void Crossings_are_removed_where_the_layering_allows()
    {
        var g = new GraphModel();
        var a = g.Add("a", GraphNodeKind.Input);
        var b = g.Add("b", GraphNodeKind.Input);
        var c = g.Add("c", GraphNodeKind.Input);
        var fc = g.Add("f(c)", GraphNodeKind.Apply);
        var fb = g.Add("f(b)", GraphNodeKind.Apply);
        var fa = g.Add("f(a)", GraphNodeKind.Apply);
        g.Connect(c, fc);
        g.Connect(b, fb);
        g.Connect(a, fa);
        var top = g.Add("g", GraphNodeKind.Apply);
        g.Connect(fa, top);
        g.Connect(fc, top);
        Assert.Equal(0, SvgGraph.Layout(g).Crossings);
    }

    [Fact]
    public void A_cycle_is_refused_with_a_clear_error()
    {
        var g = new GraphModel();
        var a = g.Add("a", GraphNodeKind.Apply);
        var b = g.Add("b", GraphNodeKind.Apply);
        g.Connect(a, b);
        g.Connect(b, a);
        Assert.Contains("cycle", Assert.Throws<ArgumentException>(() => SvgGraph.Render(g)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Connect(0, 5));
    }

    [Fact]
    public void Five_hundred_node_graph_renders_quickly()
    {
        var graph = RandomDag(500, seed: 1);
        SvgGraph.Render(RandomDag(50, seed: 2));
        var watch = Stopwatch.StartNew();
        var svg = SvgGraph.Render(graph);
        watch.Stop();
        output.WriteLine($"500 nodes, {graph.Edges.Count} edges: {watch.Elapsed.TotalMilliseconds:F0} ms, "
            + $"{svg.Length / 1024} KiB of SVG");
        Assert.Equal(500, XElement.Parse(svg).Descendants(Svg + "rect").Count());
        // Generous so that a loaded machine does not fail it; the measured time is printed above.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"rendering took {watch.Elapsed}");
    }

    /// <summary>An expression-like DAG: each op reads one or two earlier values, mostly recent ones.</summary>
    internal static GraphModel RandomDag(int nodes, int seed)
    {
        var random = new Random(seed);
        var g = new GraphModel();
        var inputs = Math.Max(2, nodes / 20);
        for (var i = 0; i < inputs; i++)
            g.Add($"in{i}", (i % 3) switch
            {
                0 => GraphNodeKind.Shared,
                1 => GraphNodeKind.Input,
                _ => GraphNodeKind.Constant,
            });
        for (var i = inputs; i < nodes; i++)
        {
            var op = g.Add($"op{i}", GraphNodeKind.Apply);
            var arity = random.Next(1, 3);
            for (var k = 0; k < arity; k++)
                g.Connect(random.Next(2) == 0 ? Math.Max(0, op - 1 - random.Next(4)) : random.Next(op), op);
        }
        return g;
    }
}
