namespace Theon.Interactive.Graphs;

/// <summary>What a node of an expression graph drawing stands for; each kind is styled apart.</summary>
public enum GraphNodeKind
{
    /// <summary>A named input of the graph (a symbolic variable without an owner).</summary>
    Input,

    /// <summary>A shared variable: state kept between calls (weights).</summary>
    Shared,

    /// <summary>A constant folded into the graph.</summary>
    Constant,

    /// <summary>An application of an op, labelled with the op's name.</summary>
    Apply,

    /// <summary>An output of the graph.</summary>
    Output,

    /// <summary>Stands for the nodes of a collapsed inner graph (a large scan step), drawn in full elsewhere.</summary>
    Collapsed,
}

/// <summary>A node to draw. <see cref="Detail"/> is shown on hover (the variable's type, the op's full name).</summary>
public sealed record GraphNode(string Label, GraphNodeKind Kind, string? Detail = null)
{
    /// <summary>The graph drawn inside this node (a scan's step): the node is a labelled frame around it.</summary>
    public GraphModel? Inner { get; init; }

    /// <summary>
    /// When <see cref="Inner"/> is a collapsed form (its ports around a <see cref="GraphNodeKind.Collapsed"/> node),
    /// the whole inner graph, which HTML output shows in a section that expands.
    /// </summary>
    public GraphModel? Expanded { get; init; }
}

/// <summary>
/// An edge from the node that produces a value to one that uses it. An edge that leaves from or enters a frame may
/// name a node of that frame's inner graph (a port: a step's input or output) as its real end.
/// </summary>
public sealed record GraphEdge(int From, int To, string? Label = null, int? FromPort = null, int? ToPort = null);

/// <summary>
/// A small directed acyclic graph to draw: the drawing engine works on this, not on Theon's graph types.
/// </summary>
public sealed class GraphModel
{
    private readonly List<GraphNode> nodes = [];
    private readonly List<GraphEdge> edges = [];

    public IReadOnlyList<GraphNode> Nodes => nodes;

    public IReadOnlyList<GraphEdge> Edges => edges;

    /// <summary>Outputs are drawn on the last layer, so that edges leave a frame from its bottom.</summary>
    public bool OutputsOnLastLayer { get; init; }

    /// <summary>The nodes drawn: these and those of every inner graph, recursively.</summary>
    public int DrawnNodeCount => nodes.Count + nodes.Sum(n => n.Inner?.DrawnNodeCount ?? 0);

    /// <summary>The edges drawn: these and those of every inner graph, recursively.</summary>
    public int DrawnEdgeCount => edges.Count + nodes.Sum(n => n.Inner?.DrawnEdgeCount ?? 0);

    public int Add(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        nodes.Add(node);
        return nodes.Count - 1;
    }

    public int Add(string label, GraphNodeKind kind, string? detail = null) => Add(new GraphNode(label, kind, detail));

    public void Connect(int from, int to, string? label = null, int? fromPort = null, int? toPort = null)
    {
        if ((uint)from >= (uint)nodes.Count || (uint)to >= (uint)nodes.Count)
            throw new ArgumentOutOfRangeException(nameof(from),
                $"GraphModel.Connect({from}, {to}): the graph has nodes 0..{nodes.Count - 1}.");
        if (from == to) throw new ArgumentException($"GraphModel.Connect({from}, {to}): a node cannot feed itself.");
        CheckPort(from, fromPort, nameof(fromPort));
        CheckPort(to, toPort, nameof(toPort));
        edges.Add(new GraphEdge(from, to, label, fromPort, toPort));
    }

    private void CheckPort(int node, int? port, string name)
    {
        if (port is not { } p) return;
        var count = nodes[node].Inner?.Nodes.Count ?? 0;
        if ((uint)p >= (uint)count)
            throw new ArgumentOutOfRangeException(name,
                $"GraphModel.Connect: {name} {p} is not a node of node {node}'s inner graph, which has {count} nodes.");
        if (nodes[node].Inner!.Nodes[p].Inner is not null)
            throw new ArgumentException($"GraphModel.Connect: {name} {p} of node {node} is a frame, not a port.", name);
    }
}
