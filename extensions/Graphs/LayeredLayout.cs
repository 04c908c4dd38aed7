namespace Theon.Interactive.Graphs;

/// <summary>
/// A layered (Sugiyama-style) drawing of a DAG, top to bottom: longest-path layers (sources at the top; constants
/// and shared variables just above their first use), dummy nodes on edges that span layers, barycenter sweeps that
/// keep the ordering with the fewest crossings, and order-preserving x placement that pulls each node toward its
/// neighbours (isotonic regression, so no two boxes overlap).
/// </summary>
internal static class LayeredLayout
{
    public const double NodeHeight = 30, LayerGap = 50, NodeGap = 18, Padding = 16, DummyWidth = 4, FrameHeader = 22;
    private const int MaxSweeps = 24, PlacementRounds = 6;

    /// <summary>
    /// A node with an inner graph is a frame: its inner graph is laid out first (recursively) and the frame is as
    /// large as that layout plus a header for its label. A layer is as tall as its tallest node.
    /// </summary>
    public static GraphLayout Compute(GraphModel graph, Func<GraphNode, double> nodeWidth)
    {
        var realCount = graph.Nodes.Count;
        var successors = Enumerable.Range(0, realCount).Select(_ => new List<int>()).ToArray();
        var predecessors = Enumerable.Range(0, realCount).Select(_ => new List<int>()).ToArray();
        foreach (var edge in graph.Edges)
        {
            successors[edge.From].Add(edge.To);
            predecessors[edge.To].Add(edge.From);
        }
        var layerOf = AssignLayers(graph, successors, predecessors).ToList();
        var inner = graph.Nodes.Select(n => n.Inner is null ? null : Compute(n.Inner, nodeWidth)).ToArray();
        var widths = graph.Nodes.Select((n, v) => Math.Max(nodeWidth(n), inner[v]?.Width ?? 0)).ToList();
        var heights = inner.Select(l => l is null ? NodeHeight : FrameHeader + l.Height).ToArray();

        // Split every edge that spans several layers into a chain through dummy nodes.
        var routes = new List<List<int>>(graph.Edges.Count);
        var up = Enumerable.Range(0, realCount).Select(_ => new List<int>()).ToList();
        var down = Enumerable.Range(0, realCount).Select(_ => new List<int>()).ToList();
        foreach (var edge in graph.Edges)
        {
            var chain = new List<int> { edge.From };
            for (var layer = layerOf[edge.From] + 1; layer < layerOf[edge.To]; layer++)
            {
                layerOf.Add(layer);
                widths.Add(DummyWidth);
                up.Add([]);
                down.Add([]);
                chain.Add(layerOf.Count - 1);
            }
            chain.Add(edge.To);
            for (var i = 0; i + 1 < chain.Count; i++)
            {
                down[chain[i]].Add(chain[i + 1]);
                up[chain[i + 1]].Add(chain[i]);
            }
            routes.Add(chain);
        }

        var layers = Enumerable.Range(0, realCount == 0 ? 0 : layerOf.Max() + 1).Select(_ => new List<int>()).ToArray();
        for (var v = 0; v < layerOf.Count; v++) layers[layerOf[v]].Add(v);
        var crossings = OrderLayers(layers, up, down, layerOf.Count);
        var x = PlaceHorizontally(layers, up, down, widths);

        var layerHeight = layers.Select(l => l.Where(v => v < realCount).Select(v => heights[v]).DefaultIfEmpty(NodeHeight)
            .Max()).ToArray();
        var layerTop = new double[layers.Length];
        for (var k = 0; k < layers.Length; k++)
            layerTop[k] = k == 0 ? Padding : layerTop[k - 1] + layerHeight[k - 1] + LayerGap;
        var placed = new PlacedNode[layerOf.Count];
        for (var v = 0; v < layerOf.Count; v++)
        {
            var layer = layerOf[v];
            placed[v] = v < realCount
                ? new PlacedNode(x[v], layerTop[layer], widths[v], heights[v], layer, inner[v])
                : new PlacedNode(x[v], layerTop[layer], widths[v], layerHeight[layer], layer);
        }
        var width = placed.Length == 0 ? 2 * Padding : placed.Max(p => p.X + p.Width) + Padding;
        var height = layers.Length == 0 ? 2 * Padding : layerTop[^1] + layerHeight[^1] + Padding;
        var edgeRoutes = RouteEdges(graph.Edges, routes, placed);
        return new GraphLayout(placed[..realCount], edgeRoutes, width, height, crossings);
    }

    private static int[] AssignLayers(GraphModel graph, List<int>[] successors, List<int>[] predecessors)
    {
        var count = graph.Nodes.Count;
        var order = TopologicalOrder(count, successors, predecessors);
        var layer = new int[count];
        foreach (var v in order)
            layer[v] = predecessors[v].Count == 0 ? 0 : predecessors[v].Max(p => layer[p]) + 1;
        // Constants and shared variables sit just above their first use; named inputs stay at the top.
        foreach (var v in order)
        {
            var kind = graph.Nodes[v].Kind;
            var isSource = predecessors[v].Count == 0 && successors[v].Count > 0;
            if (isSource && kind is GraphNodeKind.Constant or GraphNodeKind.Shared)
                layer[v] = successors[v].Min(s => layer[s]) - 1;
        }
        if (graph.OutputsOnLastLayer && count > 0)
        {
            var last = layer.Max();
            foreach (var v in order)
                if (graph.Nodes[v].Kind == GraphNodeKind.Output && successors[v].Count == 0) layer[v] = last;
        }
        return layer;
    }

    private static List<int> TopologicalOrder(int count, List<int>[] successors, List<int>[] predecessors)
    {
        var pending = predecessors.Select(p => p.Count).ToArray();
        var ready = new Queue<int>(Enumerable.Range(0, count).Where(v => pending[v] == 0));
        var order = new List<int>(count);
        while (ready.TryDequeue(out var v))
        {
            order.Add(v);
            foreach (var s in successors[v])
                if (--pending[s] == 0) ready.Enqueue(s);
        }
        if (order.Count != count)
            throw new ArgumentException(
                $"The graph has a cycle through {count - order.Count} of its {count} nodes; only DAGs can be drawn.");
        return order;
    }

    /// <summary>
    /// Barycenter sweeps down and up; returns the fewest crossings seen, and leaves that ordering in place.
    /// </summary>
    private static int OrderLayers(List<int>[] layers, List<List<int>> up, List<List<int>> down, int nodeCount)
    {
        var position = new double[nodeCount];
        void Renumber(List<int> layer)
        {
            for (var i = 0; i < layer.Count; i++) position[layer[i]] = i;
        }
        foreach (var layer in layers) Renumber(layer);

        var best = layers.Select(l => l.ToArray()).ToArray();
        var bestCrossings = CountCrossings(layers, down, position);
        for (var sweep = 0; sweep < MaxSweeps && bestCrossings > 0; sweep++)
        {
            var downward = sweep % 2 == 0;
            for (var k = 1; k < layers.Length; k++)
            {
                var layer = layers[downward ? k : layers.Length - 1 - k];
                var neighbours = downward ? up : down;
                var key = layer.ToDictionary(v => v, v => neighbours[v].Count == 0
                    ? position[v]
                    : neighbours[v].Average(n => position[n]));
                var sorted = layer.OrderBy(v => key[v]).ToList();
                layer.Clear();
                layer.AddRange(sorted);
                Renumber(layer);
            }
            var crossings = CountCrossings(layers, down, position);
            if (crossings < bestCrossings)
            {
                bestCrossings = crossings;
                best = layers.Select(l => l.ToArray()).ToArray();
            }
        }
        for (var k = 0; k < layers.Length; k++)
        {
            layers[k].Clear();
            layers[k].AddRange(best[k]);
        }
        return bestCrossings;
    }

    private static int CountCrossings(List<int>[] layers, List<List<int>> down, double[] position)
    {
        var total = 0;
        for (var k = 0; k + 1 < layers.Length; k++)
        {
            var ends = layers[k]
                .SelectMany(u => down[u].Select(v => ((int)position[u], (int)position[v])))
                .OrderBy(e => e.Item1).ThenBy(e => e.Item2)
                .Select(e => e.Item2)
                .ToArray();
            total += CountInversions(ends, layers[k + 1].Count);
        }
        return total;
    }

    /// <summary>Pairs i &lt; j with values[i] &gt; values[j], counted with a Fenwick tree.</summary>
    private static int CountInversions(int[] values, int range)
    {
        var tree = new int[range + 1];
        var inversions = 0;
        for (var i = values.Length - 1; i >= 0; i--)
        {
            for (var j = values[i]; j > 0; j -= j & -j) inversions += tree[j];
            for (var j = values[i] + 1; j <= range; j += j & -j) tree[j]++;
        }
        return inversions;
    }

    private static double[] PlaceHorizontally(List<int>[] layers, List<List<int>> up, List<List<int>> down,
        List<double> widths)
    {
        var x = new double[widths.Count];
        foreach (var layer in layers)
        {
            var left = 0.0;
            foreach (var v in layer)
            {
                x[v] = left;
                left += widths[v] + NodeGap;
            }
        }
        double Center(int v) => x[v] + widths[v] / 2;
        for (var round = 0; round < PlacementRounds; round++)
        {
            var downward = round % 2 == 0;
            for (var k = 0; k < layers.Length; k++)
            {
                var layer = layers[downward ? k : layers.Length - 1 - k];
                var neighbours = downward ? up : down;
                var desired = layer.Select(v => neighbours[v].Count == 0
                    ? x[v]
                    : neighbours[v].Average(Center) - widths[v] / 2).ToArray();
                var placed = PlaceInOrder(desired, layer.Select(v => widths[v]).ToArray());
                for (var i = 0; i < layer.Count; i++) x[layer[i]] = placed[i];
            }
        }
        var shift = x.Length == 0 ? 0 : Padding - x.Min();
        for (var v = 0; v < x.Length; v++) x[v] += shift;
        return x;
    }

    /// <summary>
    /// The left edges closest (least squares) to <paramref name="desired"/> that keep the order with a gap between
    /// boxes: with offsets o_i = Σ_{j&lt;i}(w_j + gap), y_i = x_i − o_i must not decrease, which is isotonic
    /// regression, solved by pooling adjacent violators.
    /// </summary>
    internal static double[] PlaceInOrder(double[] desired, double[] widths)
    {
        var count = desired.Length;
        var offsets = new double[count];
        for (var i = 1; i < count; i++) offsets[i] = offsets[i - 1] + widths[i - 1] + NodeGap;
        var blocks = new List<(double Sum, int Count)>();
        for (var i = 0; i < count; i++)
        {
            blocks.Add((desired[i] - offsets[i], 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count > blocks[^1].Sum / blocks[^1].Count)
            {
                var merged = (blocks[^2].Sum + blocks[^1].Sum, blocks[^2].Count + blocks[^1].Count);
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = merged;
            }
        }
        var result = new double[count];
        var index = 0;
        foreach (var (sum, size) in blocks)
            for (var i = 0; i < size; i++, index++) result[index] = sum / size + offsets[index];
        return result;
    }

    /// <summary>
    /// Polylines top to bottom. An edge into a frame's port enters the frame's top above the port and runs down to
    /// it; one from a port runs down to the frame's bottom first. A dummy node is passed through top to bottom, as its
    /// layer may be taller than one node.
    /// </summary>
    private static List<IReadOnlyList<(double X, double Y)>> RouteEdges(IReadOnlyList<GraphEdge> edges,
        List<List<int>> routes, PlacedNode[] placed)
    {
        // Other edges entering one node are spread along its top, in the order of where they come from.
        var incoming = routes.Select((chain, index) => (chain, index))
            .Where(r => edges[r.index].ToPort is null)
            .GroupBy(r => r.chain[^1]);
        var entryX = new double[routes.Count];
        foreach (var group in incoming)
        {
            var target = placed[group.Key];
            var ordered = group.OrderBy(r => placed[r.chain[^2]].CenterX).ToArray();
            for (var i = 0; i < ordered.Length; i++)
                entryX[ordered[i].index] = target.X + target.Width * (i + 1) / (ordered.Length + 1);
        }
        return routes.Select((chain, index) =>
        {
            var (source, target) = (placed[chain[0]], placed[chain[^1]]);
            var points = new List<(double X, double Y)>();
            if (edges[index].FromPort is { } from)
            {
                var port = Port(source, from);
                points.Add((port.CenterX, port.Y + port.Height));
                points.Add((port.CenterX, source.Y + source.Height));
            }
            else
            {
                points.Add((source.CenterX, source.Y + source.Height));
            }
            foreach (var dummy in chain.Skip(1).SkipLast(1))
            {
                points.Add((placed[dummy].CenterX, placed[dummy].Y));
                points.Add((placed[dummy].CenterX, placed[dummy].Y + placed[dummy].Height));
            }
            if (edges[index].ToPort is { } to)
            {
                var port = Port(target, to);
                points.Add((port.CenterX, target.Y));
                points.Add((port.CenterX, port.Y));
            }
            else
            {
                points.Add((entryX[index], target.Y));
            }
            return (IReadOnlyList<(double X, double Y)>)points;
        }).ToList();
    }

    /// <summary>A port of <paramref name="frame"/> in the page's coordinates.</summary>
    private static PlacedNode Port(PlacedNode frame, int port)
    {
        var box = frame.Inner!.Nodes[port];
        return box with { X = box.X + frame.InnerX, Y = box.Y + frame.InnerY };
    }
}
