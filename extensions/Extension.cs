using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using Theon.Interactive.Formatters;

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
            chart => PlotlyJs.LoaderOncePerSession()
                + PlotFigure.ChartHtml(PlotFigure.NewElementId(), GenericChart.toFigureJson(chart)),
            _ => "Plotly.NET chart");
        Register<ProgressState>(ProgressHtml.Render, state => state.ToString());
        Register<NDArray>(array => ArrayFormatting.Html(array), array => array.ToString());
        Register<SharedVariable>(ArrayFormatting.SharedHtml, ArrayFormatting.SharedText);
        Register<Constant>(c => ArrayFormatting.Html(c.data, c.ToString()), c => c.ToString());
        Register<Variable>(GraphHtml.Variable, GraphHtml.VariableText);
        Register<CompiledFunction>(GraphHtml.Function, GraphHtml.FunctionText);
        Register<Function>(f => GraphHtml.Function(CompiledFunction.Of(f)),
            f => GraphHtml.FunctionText(CompiledFunction.Of(f)));
        Register<FunctionN>(f => GraphHtml.Function(CompiledFunction.Of(f)),
            f => GraphHtml.FunctionText(CompiledFunction.Of(f)));
    }

    /// <summary>
    /// What the package's <c>extension.dib</c> runs: registers the formatters and, inside official .NET Interactive
    /// where no other host was set, routes <c>display</c>, plots and progress bars through it.
    /// </summary>
    public static void LoadInNotebook()
    {
        Load();
        if (Notebook.Host is null && IsDotNetInteractiveLoaded()) UseDotNetInteractive();
    }

    private static bool IsDotNetInteractiveLoaded() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    // Kept out of line so that hosts without Microsoft.DotNet.Interactive (Theon's kernel) never load its types.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseDotNetInteractive() => Notebook.Host = new DotNetInteractiveHost();

    private static void Register<T>(Func<T, string> html, Func<T, string> plain)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(plain(value)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}
