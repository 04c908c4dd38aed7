namespace Theon.Interactive;

/// <summary>
/// One named line of a <see cref="Plot.Line(Series[], string?, string?, string?)"/> chart; x defaults to 0, 1, 2, ...
/// </summary>
public sealed record Series(string Name, IEnumerable<double> Y, IEnumerable<double>? X = null);

/// <summary>The numbers of one trace, copied at the time the chart was made.</summary>
internal sealed record TraceData(string Name, double[] X, double[] Y, TraceStyle Style, double[]? Color = null)
{
    public static TraceData Of(string name, IEnumerable<double> y, IEnumerable<double>? x, TraceStyle style)
    {
        var ys = y.ToArray();
        var xs = x?.ToArray() ?? Enumerable.Range(0, ys.Length).Select(i => (double)i).ToArray();
        if (xs.Length != ys.Length)
            throw new ArgumentException(
                $"Series '{name}': x has {xs.Length} values but y has {ys.Length}; they must match.", nameof(x));
        return new TraceData(name, xs, ys, style);
    }
}

internal enum TraceStyle { Lines, Markers }
