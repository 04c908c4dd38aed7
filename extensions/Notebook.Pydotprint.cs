using System.Text;
using Theon.Interactive.Formatters;
using Theon.Interactive.Graphs;

namespace Theon.Interactive;

public static partial class Notebook
{
    /// <summary>
    /// Theano's <c>theano.printing.pydotprint</c>: writes the graph of a compiled function (its optimized graph) to
    /// a file, drawn with the notebook's layout: <c>svg</c>, the drawing alone, or <c>html</c>, the drawing with
    /// <c>pp</c> and <c>debugprint</c> as the notebook shows them. The format comes from <paramref name="outfile"/>'s
    /// extension, else from <paramref name="format"/>; the default file is <c>theon.pydotprint.FORMAT</c> in the
    /// current directory, as Theano's is in its compile directory. A scan (any op with an inner graph) is a frame
    /// holding its step; a step of more than <paramref name="max_inner_nodes"/> nodes is collapsed to its ports (in
    /// <c>html</c>, a section below the drawing shows it in full). Returns the full path written.
    /// </summary>
    public static string pydotprint(Delegate fct, string? outfile = null, string format = "svg",
        int max_inner_nodes = ExpressionGraph.DefaultMaxInnerNodes)
    {
        CheckLimit(max_inner_nodes);
        var function = CompiledFunction.Of(fct);
        return GraphFile.Write(outfile, format, "optimized graph",
            caption => SvgGraph.Render(
                ExpressionGraph.Build(GraphHtml.OptimizedOutputs(function), max_inner_nodes), caption),
            () => GraphHtml.Function(function, max_inner_nodes));
    }

    /// <summary>Writes the graph of <paramref name="fct"/>, a symbolic variable, as <see cref="pydotprint(Delegate, string?, string, int)"/>.</summary>
    public static string pydotprint(Variable fct, string? outfile = null, string format = "svg",
        int max_inner_nodes = ExpressionGraph.DefaultMaxInnerNodes)
    {
        CheckLimit(max_inner_nodes);
        var label = fct.name ?? "output";
        return GraphFile.Write(outfile, format, label,
            caption => SvgGraph.Render(ExpressionGraph.Build([(fct, label)], max_inner_nodes), caption),
            () => GraphHtml.Variable(fct, max_inner_nodes));
    }

    private static void CheckLimit(int max_inner_nodes)
    {
        if (max_inner_nodes < 0)
            throw new ArgumentOutOfRangeException(nameof(max_inner_nodes), max_inner_nodes,
                $"pydotprint: max_inner_nodes must be 0 or more (0 collapses every step), got {max_inner_nodes}.");
    }
}

/// <summary>A drawing written to a file: an SVG document, or a self-contained HTML page around the formatter's HTML.</summary>
internal static class GraphFile
{
    private static readonly string[] Formats = ["svg", "html"];

    public static string Write(string? outfile, string format, string caption, Func<string, string> svg, Func<string> html)
    {
        var chosen = outfile is not null && Path.GetExtension(outfile) is { Length: > 1 } extension
            ? extension[1..].ToLowerInvariant()
            : format.ToLowerInvariant();
        if (!Formats.Contains(chosen))
            throw new ArgumentException(
                $"pydotprint: format '{chosen}' is not one Theon writes; expected one of {string.Join(", ", Formats)} "
                + "(Theon draws the graph itself, without graphviz; a browser opens both and can print either to PNG "
                + "or PDF).", outfile is null ? nameof(format) : nameof(outfile));
        var path = Path.GetFullPath(outfile ?? $"theon.pydotprint.{chosen}");
        var text = chosen == "svg"
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(caption) + "\n"
            : new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .Append(Html.Text(caption)).Append("</title></head><body>\n").Append(html())
                .Append("\n</body></html>\n").ToString();
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
