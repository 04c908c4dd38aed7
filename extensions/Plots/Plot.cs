namespace Theon.Interactive;

/// <summary>Charts for notebooks: <c>display(Plot.Cost(costs, title: "cost"))</c>.</summary>
public static partial class Plot
{
    /// <summary>A training cost per iteration, as a line.</summary>
    public static PlotFigure Cost(IEnumerable<double> costs, string title = "cost", string xTitle = "iteration",
        string yTitle = "cost")
    {
        ArgumentNullException.ThrowIfNull(costs);
        return new PlotFigure(title, [TraceData.Of("cost", costs, null, TraceStyle.Lines)], xTitle, yTitle);
    }

    /// <summary>One line; x defaults to 0, 1, 2, ...</summary>
    public static PlotFigure Line(IEnumerable<double> y, IEnumerable<double>? x = null, string? title = null,
        string name = "y", string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        return new PlotFigure(title, [TraceData.Of(name, y, x, TraceStyle.Lines)], xTitle, yTitle);
    }

    /// <summary>Several lines in one chart, with a legend.</summary>
    public static PlotFigure Line(Series[] series, string? title = null, string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Length == 0)
            throw new ArgumentException("Plot.Line needs at least one series; got none.", nameof(series));
        var traces = series.Select(s => TraceData.Of(s.Name, s.Y, s.X, TraceStyle.Lines)).ToArray();
        return new PlotFigure(title, traces, xTitle, yTitle);
    }

    /// <summary>Points (x[i], y[i]), optionally coloured by a value per point.</summary>
    public static PlotFigure Scatter(IEnumerable<double> x, IEnumerable<double> y, IEnumerable<double>? color = null,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var trace = TraceData.Of("points", y, x, TraceStyle.Markers);
        if (color is not null)
        {
            var colors = color.ToArray();
            if (colors.Length != trace.Y.Length)
                throw new ArgumentException(
                    $"Plot.Scatter: color has {colors.Length} values but there are {trace.Y.Length} points.",
                    nameof(color));
            trace = trace with { Color = colors };
        }
        return new PlotFigure(title, [trace], xTitle, yTitle);
    }

    /// <summary>
    /// 2-D points given as a matrix: shape (2, N) holds the points as columns, shape (N, 2) as rows; a (2, 2)
    /// matrix is read as columns, the walkthroughs' convention.
    /// </summary>
    public static PlotFigure Scatter(double[,] points, IEnumerable<double>? color = null, string? title = null,
        string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = SplitPoints(points.GetLength(0), points.GetLength(1), (r, c) => points[r, c]);
        return Scatter(x, y, color, title, xTitle, yTitle);
    }

    /// <summary>
    /// 2-D points in an array of shape (2, N) (points as columns) or (N, 2) (points as rows), optionally coloured by
    /// an array with one value per point (any shape of N elements, such as a network's (N,) or (N, 1) output).
    /// </summary>
    public static PlotFigure Scatter(NDArray points, NDArray? color = null, string? title = null, string? xTitle = null,
        string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.ndim != 2)
            throw new ArgumentException(
                "Plot.Scatter expects 2-D points of shape (2, N) or (N, 2); "
                + $"got an array of shape {NDArray.ShapeString(points.shape)}.", nameof(points));
        var shape = points.shape;
        var flat = points.ToFlatArray<double>();
        var (x, y) = SplitPoints(shape[0], shape[1], (r, c) => flat[r * shape[1] + c]);
        if (color is not null && color.size != x.Length)
            throw new ArgumentException(
                $"Plot.Scatter: color has shape {NDArray.ShapeString(color.shape)} ({color.size} values) "
                + $"but there are {x.Length} points.", nameof(color));
        return Scatter(x, y, color?.ToFlatArray<double>(), title, xTitle, yTitle);
    }

    /// <summary>A chart that redraws in place as <see cref="LivePlot.Add(double, double)"/> adds points.</summary>
    public static LivePlot Live(string? title = null, string? xTitle = null, string? yTitle = null) =>
        LivePlot.Start(title, xTitle, yTitle);

    internal static (double[] X, double[] Y) SplitPoints(int rows, int columns, Func<int, int, double> at)
    {
        if (rows == 2)
            return (Enumerable.Range(0, columns).Select(c => at(0, c)).ToArray(),
                    Enumerable.Range(0, columns).Select(c => at(1, c)).ToArray());
        if (columns == 2)
            return (Enumerable.Range(0, rows).Select(r => at(r, 0)).ToArray(),
                    Enumerable.Range(0, rows).Select(r => at(r, 1)).ToArray());
        throw new ArgumentException("Plot.Scatter expects 2-D points of shape (2, N) (points as columns) "
            + $"or (N, 2) (points as rows); got ({rows}, {columns}).");
    }
}
