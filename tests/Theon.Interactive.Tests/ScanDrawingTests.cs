using System.Text.RegularExpressions;
using System.Xml.Linq;
using Theon.Interactive.Formatters;
using Theon.Interactive.Graphs;
using Theon.Ops;
using static Theon.T;

namespace Theon.Interactive.Tests;

/// <summary>
/// A scan (any op holding an inner graph) is drawn as a frame labelled as pp prints the op, holding its step laid
/// out by the same layered layout; the step's inputs are ports named as debugprint names them, linked from the outer
/// inputs they read, and its outputs are ports the scan's outputs leave from.
/// </summary>
public partial class ScanDrawingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>09-scan's first example: A to the power k.</summary>
    internal static Variable Power()
    {
        var k = iscalar("k");
        var A = vector("A");
        var (result, _) = scan((prior, a) => prior * a, outputs_info: ones_like(A), non_sequences: A, n_steps: k);
        var final = result[-1];
        final.name = "final_result";
        return final;
    }

    /// <summary>An RNN with a gated tanh state and a linear read-out, its cost, and the cost's gradients.</summary>
    internal static (Variable Cost, Variable[] Gradients) Rnn()
    {
        var rng = new Random(3);
        SharedVariable Weights(string name, params int[] shape) =>
            shared(NDArray.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b))
                .Select(_ => rng.NextDouble() - 0.5).ToArray()).reshape(shape), name);
        var (W_in, W_rec, W_out) = (Weights("W_in", 1, 4), Weights("W_rec", 4, 4), Weights("W_out", 4, 1));
        var (W_gate, W_rec_gate) = (Weights("W_gate", 1, 4), Weights("W_rec_gate", 4, 4));
        var inputs = tensor3("inputs");
        var targets = tensor3("targets");
        var h0 = zeros_like(dot(inputs[0], W_in));
        h0.name = "h0";
        var (outputs, _) = scan((x_t, h_tm1) =>
        {
            // a gated cell, so that the backward step is larger than a drawing shows whole
            var z_t = sigmoid(dot(x_t, W_gate) + dot(h_tm1, W_rec_gate));
            var h_t = z_t * h_tm1 + (1.0 - z_t) * tanh(dot(x_t, W_in) + dot(h_tm1, W_rec));
            return [h_t, dot(h_t, W_out)];
        }, sequences: inputs, outputs_info: [h0, null]);
        var cost = mean(sqr(outputs[1] - targets));
        cost.name = "cost";
        return (cost, grad(cost, [W_in, W_rec, W_out]));
    }

    private static List<Apply> Scans(params Variable[] outputs) =>
        [.. GraphWalk.TopoSort(outputs).Where(a => a.op is Scan)];

    private static (int Index, GraphNode Node)[] Frames(GraphModel graph) =>
        [.. graph.Nodes.Select((n, i) => (i, n)).Where(p => p.n.Inner is not null)];

    private static string[] ApplyLabels(GraphModel graph) =>
        [.. graph.Nodes.Where(n => n.Kind == GraphNodeKind.Apply).Select(n => n.Label).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_power_scan_is_a_frame_labelled_as_pp_with_its_step_inside()
    {
        var final = Power();
        var scanNode = Scans(final).Single();
        var step = ((Scan)scanNode.op).Inner;

        var graph = ExpressionGraph.Build([(final, "final_result")]);

        var (frameIndex, frame) = Frames(graph).Single();
        Assert.Equal("for{cpu,scan_fn}", frame.Label);
        Assert.Contains("for{cpu,scan_fn}(", pp(final), StringComparison.Ordinal);
        var inner = frame.Inner!;
        Assert.Null(frame.Expanded);
        // The step's nodes (the reference: the step's own graph), its inputs as debugprint names them, one output.
        Assert.Equal(GraphWalk.TopoSort(step.Outputs).Select(a => a.op.Name).Order(StringComparer.Ordinal), ApplyLabels(inner));
        var ports = inner.Nodes.Take(step.Inputs.Count).ToList();
        Assert.Equal(step.Inputs.Select(v => v.name), ports.Select(p => p.Label));
        Assert.All(ports, p => Assert.Equal(GraphNodeKind.Input, p.Kind));
        Assert.Contains("[t-1]", ports[0].Label, StringComparison.Ordinal);
        Assert.Contains(ports[0].Label, debugprint(final), StringComparison.Ordinal);
        Assert.Equal("A", ports[1].Label);
        Assert.Single(inner.Nodes, n => n.Kind == GraphNodeKind.Output);

        // Every step input is linked from the outer input it reads; n_steps goes to the frame itself.
        var intoPorts = graph.Edges.Where(e => e.To == frameIndex && e.ToPort is not null).ToList();
        Assert.Equal(step.Inputs.Count, intoPorts.Count);
        var aNode = graph.Nodes.Select((n, i) => (n, i)).Single(p => p.n.Label == "A" && p.n.Kind == GraphNodeKind.Input).i;
        Assert.Contains(intoPorts, e => e.From == aNode && inner.Nodes[e.ToPort!.Value].Label == "A");
        Assert.Single(graph.Edges, e => e.To == frameIndex && e.ToPort is null);
        // The scan's output leaves from the step's output port.
        var outOf = graph.Edges.Single(e => e.From == frameIndex);
        Assert.Equal(GraphNodeKind.Output, inner.Nodes[outOf.FromPort!.Value].Kind);
    }

    [Fact]
    public void The_svg_nests_the_step_inside_the_frame_and_edges_name_the_ports_they_link()
    {
        var graph = ExpressionGraph.Build([(Power(), "final_result")]);
        var svg = XElement.Parse(SvgGraph.Render(graph));

        var frame = svg.Descendants(Svg + "g").Single(g => ((string?)g.Attribute("class"))?.Contains("theon-frame") == true);
        var framePath = (string)frame.Attribute("data-node")!;
        Assert.Equal("for{cpu,scan_fn}", frame.Elements(Svg + "text").Single().Value);
        var innerNodes = frame.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("theon-node ") == true).ToList();
        Assert.Equal(graph.Nodes[int.Parse(framePath)].Inner!.DrawnNodeCount, innerNodes.Count);
        Assert.All(innerNodes, n => Assert.StartsWith(framePath + ".", (string)n.Attribute("data-node")!));
        Assert.Equal(graph.DrawnNodeCount, (int)svg.Attribute("data-nodes")!);
        Assert.Equal(graph.DrawnNodeCount, svg.Descendants(Svg + "g").Count(g => ((string?)g.Attribute("class"))?.StartsWith("theon-node ") == true));

        var edges = svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "theon-edge").ToList();
        Assert.Equal(graph.DrawnEdgeCount, edges.Count);
        var aPath = svg.Descendants(Svg + "g").Single(g => g.Element(Svg + "text")?.Value == "A"
            && !((string)g.Attribute("data-node")!).Contains('.')).Attribute("data-node")!.Value;
        var aPort = innerNodes.Single(n => n.Element(Svg + "text")!.Value == "A").Attribute("data-node")!.Value;
        Assert.Contains(edges, e => (string?)e.Attribute("data-from") == aPath && (string?)e.Attribute("data-to") == aPort);
    }

    [Fact]
    public void Inner_boxes_lie_inside_their_frame_and_port_edges_end_on_the_ports()
    {
        var (_, gradients) = Rnn();
        var graph = ExpressionGraph.Build([(gradients[1], "gW_rec")], maxInnerNodes: int.MaxValue);
        var layout = SvgGraph.Layout(graph);

        foreach (var (index, _) in Frames(graph))
        {
            var frame = layout.Nodes[index];
            foreach (var box in frame.Inner!.Nodes)
            {
                Assert.InRange(frame.InnerX + box.X, frame.X, frame.X + frame.Width - box.Width);
                Assert.InRange(frame.InnerY + box.Y, frame.Y + LayeredLayout.FrameHeader, frame.Y + frame.Height - box.Height);
            }
        }
        for (var e = 0; e < graph.Edges.Count; e++)
        {
            var (edge, route) = (graph.Edges[e], layout.EdgeRoutes[e]);
            Assert.True(route.Zip(route.Skip(1)).All(p => p.Second.Y > p.First.Y), "edges run top to bottom");
            if (edge.ToPort is { } port)
            {
                var frame = layout.Nodes[edge.To];
                var box = frame.Inner!.Nodes[port];
                Assert.Equal(frame.InnerX + box.CenterX, route[^1].X, 1e-9);
                Assert.Equal(frame.InnerY + box.Y, route[^1].Y, 1e-9);
            }
            if (edge.FromPort is { } from)
            {
                var frame = layout.Nodes[edge.From];
                var box = frame.Inner!.Nodes[from];
                Assert.Equal(frame.InnerX + box.CenterX, route[0].X, 1e-9);
                Assert.Equal(frame.InnerY + box.Y + box.Height, route[0].Y, 1e-9);
            }
        }
        GraphDrawingTests.AssertNoOverlaps(layout);
        foreach (var (index, _) in Frames(graph)) GraphDrawingTests.AssertNoOverlaps(layout.Nodes[index].Inner!);
    }

    [Fact]
    public void An_rnn_and_its_gradient_draw_the_forward_step_and_collapse_the_backward_one()
    {
        var (cost, gradients) = Rnn();
        var scans = Scans(gradients);
        Assert.Equal(2, scans.Count);
        var backward = scans.Single(s => s.op.Name == "for{cpu,grad_of_scan_fn}");
        var backwardSize = GraphWalk.TopoSort(((Scan)backward.op).Inner.Outputs).Count;
        Assert.True(backwardSize > ExpressionGraph.DefaultMaxInnerNodes, $"the backward step has {backwardSize} nodes");

        var graph = ExpressionGraph.Build([.. gradients.Select((g, i) => (g, $"g{i}"))]);

        var frames = Frames(graph);
        Assert.Equal(2, frames.Length);
        var (_, forward) = frames.Single(f => f.Node.Expanded is null);
        Assert.Contains("tanh", string.Join(" ", ApplyLabels(forward.Inner!)), StringComparison.Ordinal);
        var (_, collapsed) = frames.Single(f => f.Node.Expanded is not null);
        Assert.Equal(backward.op.Name, collapsed.Label);
        var body = Assert.Single(collapsed.Inner!.Nodes, n => n.Kind == GraphNodeKind.Collapsed);
        Assert.Equal($"… {backwardSize} nodes", body.Label);
        // The collapsed form keeps every port: each step input, each step output.
        var step = ((Scan)backward.op).Inner;
        Assert.Equal(step.Inputs.Select(v => v.name), collapsed.Inner!.Nodes.Where(n => n.Kind == GraphNodeKind.Input).Select(n => n.Label));
        Assert.Equal(step.Outputs.Count, collapsed.Inner!.Nodes.Count(n => n.Kind == GraphNodeKind.Output));
        // ... and the full step is there to expand.
        Assert.Equal(GraphWalk.TopoSort(step.Outputs).Select(a => a.op.Name).Order(StringComparer.Ordinal),
            ApplyLabels(collapsed.Expanded!));

        // Raised, the limit draws the backward step in full, in place.
        var full = ExpressionGraph.Build([.. gradients.Select((g, i) => (g, $"g{i}"))], maxInnerNodes: int.MaxValue);
        Assert.All(Frames(full), f => Assert.Null(f.Node.Expanded));
        Assert.DoesNotContain(Frames(full), f => f.Node.Inner!.Nodes.Any(n => n.Kind == GraphNodeKind.Collapsed));
        Assert.NotNull(cost.owner);
    }

    [Fact]
    public void Html_shows_a_collapsed_step_in_full_in_a_section_that_expands()
    {
        var (_, gradients) = Rnn();
        var html = GraphHtml.Variable(gradients[1]);

        var sections = StepSection().Matches(html);
        var section = Assert.Single(sections);
        Assert.Contains("grad_of_scan_fn", section.Groups["summary"].Value, StringComparison.Ordinal);
        var drawing = XElement.Parse(Regex.Match(section.Value, "<svg.*?</svg>", RegexOptions.Singleline).Value);
        Assert.DoesNotContain(drawing.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "theon-node theon-collapsed");
        Assert.Equal(GraphWalk.TopoSort(((Scan)Scans(gradients[1]).Single(s => s.op.Name.Contains("grad", StringComparison.Ordinal)).op)
            .Inner.Outputs).Count, drawing.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "theon-node theon-op"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<details class=\"theon-step\"><summary[^>]*>(?<summary>[^<]*)</summary>.*?</details>", RegexOptions.Singleline)]
    private static partial Regex StepSection();
}

public partial class ScanDrawingTests
{
    /// <summary>Each row's running sum by an inner scan, the last one kept: a scan inside a scan's step.</summary>
    internal static Variable NestedScan()
    {
        var M = matrix("M");
        var (rowTotals, _) = scan((Variable row) =>
        {
            var (running, _) = scan((a, total) => total + a, sequences: row, outputs_info: zeros_like(row[0]));
            return running[-1];
        }, sequences: M);
        rowTotals.name = "row_totals";
        return rowTotals;
    }

    [Fact]
    public void A_scan_inside_a_step_is_a_frame_inside_the_frame_linked_to_the_outer_steps_nodes()
    {
        var totals = NestedScan();
        var outerScan = Scans(totals).Single();
        var innerScan = GraphWalk.TopoSort(((Scan)outerScan.op).Inner.Outputs).Single(a => a.op is Scan);

        var graph = ExpressionGraph.Build([(totals, "row_totals")]);

        var (outerIndex, outerFrame) = Frames(graph).Single();
        var (innerIndex, innerFrame) = Frames(outerFrame.Inner!).Single();
        Assert.Equal(innerScan.op.Name, innerFrame.Label);
        var step = ((Scan)innerScan.op).Inner;
        Assert.Equal(step.Inputs.Select(v => v.name), innerFrame.Inner!.Nodes.Take(step.Inputs.Count).Select(n => n.Label));
        Assert.Equal(GraphWalk.TopoSort(step.Outputs).Select(a => a.op.Name).Order(StringComparer.Ordinal), ApplyLabels(innerFrame.Inner!));
        // The inner scan's sequence is the outer step's row: an edge inside the outer frame, from its port.
        var row = ((Scan)outerScan.op).Inner.Inputs[0];
        var rowPort = outerFrame.Inner!.Nodes.Select((n, i) => (n, i)).Single(p => p.n.Label == row.name).i;
        Assert.Contains(outerFrame.Inner!.Edges, e => e.To == innerIndex && e.ToPort is not null
            && GraphWalk.Ancestors([innerScan.inputs[((Scan)innerScan.op).OuterInputOf(e.ToPort.Value)]]).Contains(row)
            && (e.From == rowPort || outerFrame.Inner!.Nodes[e.From].Kind == GraphNodeKind.Apply));
        Assert.Contains(graph.Edges, e => e.To == outerIndex && e.ToPort == rowPort);

        var svg = XElement.Parse(SvgGraph.Render(graph));
        var paths = svg.Descendants(Svg + "g").Select(g => (string?)g.Attribute("data-node")).OfType<string>().ToList();
        Assert.Contains(paths, p => p.Split('.').Length == 3);
        var frames = svg.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.Contains("theon-frame") == true).ToList();
        Assert.Equal(2, frames.Count);
        Assert.Contains(frames[1], frames[0].Descendants());
        // Edges from the outer step into the inner frame end on its ports (paths outer.inner.port).
        var innerPath = $"{outerIndex}.{innerIndex}.";
        var intoInnerPorts = svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "theon-edge")
            .Where(p => ((string)p.Attribute("data-to")!).StartsWith(innerPath, StringComparison.Ordinal)
                && !((string)p.Attribute("data-from")!).StartsWith(innerPath, StringComparison.Ordinal)).ToList();
        Assert.Equal(step.Inputs.Count, intoInnerPorts.Count);
    }

    [Fact]
    public void The_jacobians_row_graph_is_a_frame_whose_row_index_is_made_inside()
    {
        var x = dvector("x");
        var J = jacobian(exp(x) * x, x);
        var node = GraphWalk.TopoSort([J]).Single(a => a.op is JacobianRows);

        var graph = ExpressionGraph.Build([(J, "J")]);

        var (index, frame) = Frames(graph).Single();
        Assert.Equal(node.op.Name, frame.Label);
        var rows = ((JacobianRows)node.op).Inner;
        Assert.Equal(rows.Inputs.Select(v => v.name ?? $"<{v.type}>"), frame.Inner!.Nodes.Take(rows.Inputs.Count).Select(n => n.Label));
        Assert.Equal("i", frame.Inner!.Nodes[0].Label);
        Assert.DoesNotContain(graph.Edges, e => e.To == index && e.ToPort == 0);
        var xNode = graph.Nodes.Select((n, i) => (n, i)).Single(p => p.n.Label == "x").i;
        Assert.Contains(graph.Edges, e => e.From == xNode && e.To == index && frame.Inner!.Nodes[e.ToPort!.Value].Label == "x");
    }

    [Fact]
    public void Drawings_are_deterministic_for_equal_graphs_built_apart()
    {
        static string Normalized(string text) => Regex.Replace(text, "theon-graph-\\d+", "theon-graph");
        var (_, first) = Rnn();
        var (_, second) = Rnn();

        var a = Normalized(GraphHtml.Variable(first[1]));
        var b = Normalized(GraphHtml.Variable(second[1]));
        var c = Normalized(GraphHtml.Variable(first[1]));

        Assert.Equal(a, c);
        Assert.Equal(a, b);
        Assert.Equal(Normalized(SvgGraph.Render(ExpressionGraph.Build([(NestedScan(), "t")]))),
            Normalized(SvgGraph.Render(ExpressionGraph.Build([(NestedScan(), "t")]))));
    }

    [Fact]
    public void A_port_that_is_not_a_node_of_the_frames_inner_graph_is_refused()
    {
        var inner = new GraphModel();
        inner.Add("x[t]", GraphNodeKind.Input);
        var g = new GraphModel();
        var x = g.Add("x", GraphNodeKind.Input);
        var frame = g.Add(new GraphNode("for{cpu,scan_fn}", GraphNodeKind.Apply) { Inner = inner });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => g.Connect(x, frame, toPort: 3));
        Assert.Contains("toPort 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 nodes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Connect(x, frame, fromPort: 0));
        Assert.Empty(g.Edges);
        g.Connect(x, frame, toPort: 0);
        Assert.Equal(0, Assert.Single(g.Edges).ToPort);
    }
}

public partial class ScanDrawingTests
{
    [Fact]
    public void A_compiled_rnn_training_function_draws_its_optimized_scans_as_frames()
    {
        var (cost, gradients) = Rnn();
        var weights = GraphWalk.Inputs([cost]).OfType<SharedVariable>().ToArray();
        var inputs = GraphWalk.Inputs([cost]).Where(v => v is not (Constant or SharedVariable)).ToArray();
        var train = function(inputs, cost,
            updates: [.. weights.Zip(grad(cost, weights), (w, g) => ((SharedVariable)w, w - 0.1 * g))]);
        var compiled = CompiledFunction.Of(train);
        var scans = Scans([.. compiled.OptimizedOutputs]);

        var html = GraphHtml.Function(compiled);

        var drawing = XElement.Parse(Regex.Match(html, "<svg.*?</svg>", RegexOptions.Singleline).Value);
        var frames = drawing.Descendants(Svg + "g")
            .Where(g => ((string?)g.Attribute("class"))?.Split(' ').Contains("theon-frame") == true).ToList();
        Assert.Equal(scans.Select(s => s.op.Name).Order(StringComparer.Ordinal),
            frames.Select(f => f.Element(Svg + "text")!.Value).Order(StringComparer.Ordinal));
        Assert.Equal(scans.Count(s => GraphWalk.TopoSort(((Scan)s.op).Inner.Outputs).Count > ExpressionGraph.DefaultMaxInnerNodes),
            StepSection().Matches(html).Count);
    }
}
