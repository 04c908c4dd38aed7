using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Theon.Interactive;

/// <summary>
/// Registers Theon's notebook formatters. Theon's kernel calls <see cref="Load"/> at start; in .NET Interactive the
/// package's <c>extension.dib</c> calls it.
/// </summary>
public static class Extension
{
    private static int loaded;

    public static bool IsLoaded => Volatile.Read(ref loaded) == 1;

    /// <summary>Registers every formatter; calling it again does nothing.</summary>
    public static void Load()
    {
        if (Interlocked.Exchange(ref loaded, 1) == 1) return;
        Register<PlotFigure>(figure => figure.ToHtml(), figure => figure.ToString());
        Register<PlotlyLoader>(_ => PlotlyJs.LoaderOncePerSession(), loader => loader.ToString());
        Register<GenericChart>(
            chart => PlotlyJs.LoaderOncePerSession() + PlotFigure.ChartHtml(PlotFigure.NewElementId(), GenericChart.toFigureJson(chart)),
            _ => "Plotly.NET chart");
        Register<ProgressState>(ProgressHtml.Render, state => state.ToString());
    }

    private static void Register<T>(Func<T, string> html, Func<T, string> plain)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(plain(value)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}
