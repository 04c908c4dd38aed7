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
}

/// <summary>A node to draw. <see cref="Detail"/> is shown on hover (the variable's type, the op's full name).</summary>
public sealed record GraphNode(string Label, GraphNodeKind Kind, string? Detail = null);

/// <summary>An edge from the node that produces a value to one that uses it.</summary>
public sealed record GraphEdge(int From, int To, string? Label = null);

/// <summary>
/// A small directed acyclic graph to draw: the drawing engine works on this, not on Theon's graph types.
/// </summary>
public sealed class GraphModel
{
    private readonly List<GraphNode> nodes = [];
    private readonly List<GraphEdge> edges = [];

    public IReadOnlyList<GraphNode> Nodes => nodes;

    public IReadOnlyList<GraphEdge> Edges => edges;

    public int Add(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        nodes.Add(node);
        return nodes.Count - 1;
    }

    public int Add(string label, GraphNodeKind kind, string? detail = null) => Add(new GraphNode(label, kind, detail));

    public void Connect(int from, int to, string? label = null)
    {
        if ((uint)from >= (uint)nodes.Count || (uint)to >= (uint)nodes.Count)
            throw new ArgumentOutOfRangeException(nameof(from),
                $"GraphModel.Connect({from}, {to}): the graph has nodes 0..{nodes.Count - 1}.");
        if (from == to) throw new ArgumentException($"GraphModel.Connect({from}, {to}): a node cannot feed itself.");
        edges.Add(new GraphEdge(from, to, label));
    }
}
