namespace Theon.Interactive.Graphs;

/// <summary>
/// A node placed on the page: its box (top-left corner, size) and its layer; a frame also has its inner graph's
/// layout, whose coordinates start at <see cref="InnerX"/>, <see cref="InnerY"/>.
/// </summary>
public readonly record struct PlacedNode(double X, double Y, double Width, double Height, int Layer,
    GraphLayout? Inner = null)
{
    public double CenterX => X + Width / 2;

    public double InnerX => X + (Width - (Inner?.Width ?? 0)) / 2;

    public double InnerY => Y + LayeredLayout.FrameHeader;
}

/// <summary>Where everything goes: node boxes, edge polylines (top to bottom) and the page size.</summary>
public sealed record GraphLayout(
    IReadOnlyList<PlacedNode> Nodes,
    IReadOnlyList<IReadOnlyList<(double X, double Y)>> EdgeRoutes,
    double Width,
    double Height,
    int Crossings);
