using Plotly.NET;

namespace Theon.Interactive;

/// <summary>
/// plotly.js, taken from Plotly.NET's embedded copy so that charts need no network. The first chart of a session
/// carries it; later ones find <c>window.Plotly</c> already defined.
/// </summary>
internal static class PlotlyJs
{
    private const string ResourcePrefix = "Plotly.NET.plotly-", ResourceSuffix = ".min.js";
    private static readonly Lazy<string> resourceName = new(FindResourceName);
    private static readonly Lazy<string> source = new(ReadEmbeddedSource);
    private static int sent;

    public static string Version => resourceName.Value[ResourcePrefix.Length..^ResourceSuffix.Length];

    /// <summary>
    /// A script element that defines <c>window.Plotly</c>. The source runs with <c>define</c>, <c>exports</c> and
    /// <c>module</c> shadowed, so that under RequireJS (classic Jupyter) the UMD wrapper still sets the global
    /// instead of registering an anonymous AMD module.
    /// </summary>
    public static string LoaderScript() =>
        "<script type=\"text/javascript\">/* plotly.js " + Version + ", MIT licensed, embedded by Plotly.NET */\n"
        + "if (!window.Plotly) { (function (define, exports, module) {\n"
        + source.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)
        + "\n}).call(window); }\n</script>";

    /// <summary>The loader the first time it is asked for in this session, then an empty string.</summary>
    public static string LoaderOncePerSession() => Interlocked.Exchange(ref sent, 1) == 0 ? LoaderScript() : "";

    public static bool SentThisSession => Volatile.Read(ref sent) == 1;

    internal static void ResetSession() => Volatile.Write(ref sent, 0);

    private static string FindResourceName()
    {
        var assembly = typeof(GenericChart).Assembly;
        return assembly.GetManifestResourceNames()
            .SingleOrDefault(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix))
            ?? throw new InvalidOperationException(
                $"Plotly.NET {assembly.GetName().Version} carries no embedded plotly.js.");
    }

    private static string ReadEmbeddedSource()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(resourceName.Value)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
