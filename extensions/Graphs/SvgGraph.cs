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
    };

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
             style="max-width:100%;height:auto;" data-nodes="{graph.Nodes.Count}" data-edges="{graph.Edges.Count}"
             data-crossings="{layout.Crossings}">
            """));
        svg.Append('\n');
        if (caption is not null) svg.Append($"<title>{Html.Text(caption)}</title>\n");
        svg.Append($"""
            <defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
             orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6770"/></marker></defs>
            """);
        svg.Append("\n<g class=\"theon-edges\" fill=\"none\" stroke=\"#5b6770\" stroke-width=\"1.3\">\n");
        for (var e = 0; e < graph.Edges.Count; e++)
        {
            var route = PathData(layout.EdgeRoutes[e]);
            svg.Append(Invariant($"""<path class="theon-edge" d="{route}" marker-end="url(#{id}-arrow)">"""));
            if (graph.Edges[e].Label is { } label) svg.Append($"<title>{Html.Text(label)}</title>");
            svg.Append("</path>\n");
        }
        svg.Append("</g>\n<g class=\"theon-nodes\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\"")
            .Append(" font-size=\"12\" text-anchor=\"middle\">\n");
        for (var v = 0; v < graph.Nodes.Count; v++) AppendNode(svg, graph.Nodes[v], layout.Nodes[v]);
        svg.Append("</g>\n</svg>");
        return svg.ToString();
    }

    private static void AppendNode(StringBuilder svg, GraphNode node, PlacedNode box)
    {
        var (fill, stroke, css) = styles[node.Kind];
        var radius = node.Kind == GraphNodeKind.Apply ? 4 : box.Height / 2;
        var dash = node.Kind == GraphNodeKind.Constant ? " stroke-dasharray=\"3 2\"" : "";
        var weight = node.Kind == GraphNodeKind.Output ? " font-weight=\"bold\"" : "";
        var tooltip = node.Detail is null ? node.Label : $"{node.Label}\n{node.Detail}";
        svg.Append(Invariant($"""<g class="theon-node theon-{css}"><title>{Html.Text(tooltip)}</title>"""));
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
