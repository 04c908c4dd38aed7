namespace Theon.Interactive.Graphs;

/// <summary>A node placed on the page: its box (top-left corner, size) and its layer.</summary>
public readonly record struct PlacedNode(double X, double Y, double Width, double Height, int Layer)
{
    public double CenterX => X + Width / 2;
}

/// <summary>Where everything goes: node boxes, edge polylines (top to bottom) and the page size.</summary>
public sealed record GraphLayout(
    IReadOnlyList<PlacedNode> Nodes,
    IReadOnlyList<IReadOnlyList<(double X, double Y)>> EdgeRoutes,
    double Width,
    double Height,
    int Crossings);
