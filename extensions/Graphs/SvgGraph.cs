using System.Globalization;
using System.Text;

namespace Theon.Interactive.Graphs;

/// <summary>
/// Draws a <see cref="GraphModel"/> as inline SVG computed in C#: no script and no network. Ops are boxes, inputs,
/// shared variables, constants and outputs are pills in their own colours; every node has a hover title.
/// </summary>
public static class SvgGraph
{
    public const int MaxLabelLength = 40;
    private const double CharWidth = 7.3, LabelPadding = 22, MinNodeWidth = 36;
    private static long nextId;

    private static readonly Dictionary<GraphNodeKind, (string Fill, string Stroke, string Css)> styles = new()
    {
        [GraphNodeKind.Apply] = ("#eaf1fb", "#3d6aa8", "op"),
        [GraphNodeKind.Input] = ("#e3f5e1", "#3f8f3a", "input"),
        [GraphNodeKind.Shared] = ("#fdf1dc", "#c07a12", "shared"),
        [GraphNodeKind.Constant] = ("#f1f1f1", "#8a8a8a", "constant"),
        [GraphNodeKind.Output] = ("#efe6fa", "#7349a8", "output"),
        [GraphNodeKind.Collapsed] = ("#f7f7f7", "#8a8a8a", "collapsed"),
    };

    // A frame's fill is translucent: edges into its ports run under it and stay visible.
    private const string FrameFill = "#7f8fa6", FrameStroke = "#5a6b82";

    public static GraphLayout Layout(GraphModel graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return LayeredLayout.Compute(graph,
            node => Math.Max(MinNodeWidth, Shorten(node.Label).Length * CharWidth + LabelPadding));
    }

    public static string Render(GraphModel graph, string? caption = null)
    {
        var layout = Layout(graph);
        var id = $"theon-graph-{Interlocked.Increment(ref nextId)}";
        var svg = new StringBuilder();
        svg.Append(Invariant($"""
            <svg xmlns="http://www.w3.org/2000/svg" class="theon-graph" id="{id}" role="img"
             width="{layout.Width:F0}" height="{layout.Height:F0}" viewBox="0 0 {layout.Width:F0} {layout.Height:F0}"
             style="max-width:100%;height:auto;" data-nodes="{graph.DrawnNodeCount}" data-edges="{graph.DrawnEdgeCount}"
             data-crossings="{layout.Crossings}">
            """));
        svg.Append('\n');
        if (caption is not null) svg.Append($"<title>{Html.Text(caption)}</title>\n");
        svg.Append($"""
            <defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
             orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6770"/></marker></defs>
            """);
        svg.Append('\n');
        svg.Append("<g font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n");
        AppendGraph(svg, graph, layout, id, path: "", origin: (0, 0));
        svg.Append("</g>\n</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// The edges, then the nodes, of one graph whose layout starts at <paramref name="origin"/>; a frame's inner
    /// graph follows its box. Coordinates are absolute, not a <c>transform</c>, which a notebook's sanitizer may drop.
    /// Every node carries its path (<c>data-node="3.0"</c>: node 0 of node 3's inner graph) and every edge its ends'.
    /// </summary>
    private static void AppendGraph(StringBuilder svg, GraphModel graph, GraphLayout layout, string id, string path,
        (double X, double Y) origin)
    {
        svg.Append("<g class=\"theon-edges\" fill=\"none\" stroke=\"#5b6770\" stroke-width=\"1.3\">\n");
        for (var e = 0; e < graph.Edges.Count; e++)
        {
            var edge = graph.Edges[e];
            var from = NodePath(path, edge.From, edge.FromPort);
            var to = NodePath(path, edge.To, edge.ToPort);
            var route = PathData([.. layout.EdgeRoutes[e].Select(p => (p.X + origin.X, p.Y + origin.Y))]);
            svg.Append(Invariant($"""<path class="theon-edge" data-from="{from}" data-to="{to}" d="{route}" """))
                .Append(Invariant($"""marker-end="url(#{id}-arrow)">"""));
            if (edge.Label is { } label) svg.Append($"<title>{Html.Text(label)}</title>");
            svg.Append("</path>\n");
        }
        svg.Append("</g>\n<g class=\"theon-nodes\" text-anchor=\"middle\">\n");
        for (var v = 0; v < graph.Nodes.Count; v++)
        {
            var node = graph.Nodes[v];
            var box = layout.Nodes[v] with { X = layout.Nodes[v].X + origin.X, Y = layout.Nodes[v].Y + origin.Y };
            var nodePath = NodePath(path, v, null);
            if (node.Inner is { } inner && box.Inner is { } innerLayout)
            {
                AppendFrame(svg, node, box, nodePath);
                svg.Append("<g class=\"theon-inner\">\n");
                AppendGraph(svg, inner, innerLayout, id, nodePath, (box.InnerX, box.InnerY));
                svg.Append("</g></g>\n");
            }
            else
            {
                AppendNode(svg, node, box, nodePath);
            }
        }
        svg.Append("</g>\n");
    }

    private static string NodePath(string path, int node, int? port)
    {
        var own = path.Length == 0 ? node.ToString(CultureInfo.InvariantCulture) : $"{path}.{node}";
        return port is { } p ? $"{own}.{p}" : own;
    }

    /// <summary>A frame's box and label; the caller closes its group after the inner graph.</summary>
    private static void AppendFrame(StringBuilder svg, GraphNode node, PlacedNode box, string nodePath)
    {
        var tooltip = node.Detail is null ? node.Label : $"{node.Label}\n{node.Detail}";
        var collapsed = node.Expanded is null ? "" : " theon-collapsed-frame";
        svg.Append(Invariant($"""<g class="theon-node theon-frame{collapsed}" data-node="{nodePath}">"""))
            .Append($"<title>{Html.Text(tooltip)}</title>");
        svg.Append(Invariant($"""<rect x="{box.X:F1}" y="{box.Y:F1}" width="{box.Width:F1}" height="{box.Height:F1}" """))
            .Append(Invariant($"""rx="6" fill="{FrameFill}" fill-opacity="0.08" stroke="{FrameStroke}" stroke-width="1.4"/>"""));
        svg.Append(Invariant($"""<text class="theon-frame-label" x="{box.X + 8:F1}" y="{box.Y + 15:F1}" """))
            .Append("text-anchor=\"start\" fill=\"#1d2329\" font-weight=\"bold\">")
            .Append(Html.Text(Shorten(node.Label))).Append("</text>\n");
    }

    private static void AppendNode(StringBuilder svg, GraphNode node, PlacedNode box, string nodePath)
    {
        var (fill, stroke, css) = styles[node.Kind];
        var radius = node.Kind == GraphNodeKind.Apply ? 4 : box.Height / 2;
        var dash = node.Kind is GraphNodeKind.Constant or GraphNodeKind.Collapsed ? " stroke-dasharray=\"3 2\"" : "";
        var weight = node.Kind == GraphNodeKind.Output ? " font-weight=\"bold\"" : "";
        var tooltip = node.Detail is null ? node.Label : $"{node.Label}\n{node.Detail}";
        svg.Append(Invariant($"""<g class="theon-node theon-{css}" data-node="{nodePath}"><title>{Html.Text(tooltip)}</title>"""));
        svg.Append(Invariant($"""<rect x="{box.X:F1}" y="{box.Y:F1}" """))
            .Append(Invariant($"""width="{box.Width:F1}" height="{box.Height:F1}" """))
            .Append(Invariant($"""rx="{radius:F1}" fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>"""));
        var label = Html.Text(Shorten(node.Label));
        var baseline = box.Y + box.Height / 2 + 4;
        svg.Append(Invariant($"""<text x="{box.CenterX:F1}" y="{baseline:F1}" fill="#1d2329"{weight}>"""))
            .Append(label).Append("</text></g>");
        svg.Append('\n');
    }

    private static string PathData(IReadOnlyList<(double X, double Y)> points)
    {
        var data = new StringBuilder(Invariant($"M {points[0].X:F1} {points[0].Y:F1}"));
        for (var i = 1; i < points.Count; i++)
        {
            var (from, to) = (points[i - 1], points[i]);
            var middle = (from.Y + to.Y) / 2;
            data.Append(Invariant($" C {from.X:F1} {middle:F1} {to.X:F1} {middle:F1} {to.X:F1} {to.Y:F1}"));
        }
        return data.ToString();
    }

    internal static string Shorten(string label) =>
        label.Length <= MaxLabelLength ? label : string.Concat(label.AsSpan(0, MaxLabelLength - 1), "…");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
