using System.Text;
using Theon.Interactive.Graphs;

namespace Theon.Interactive.Formatters;

/// <summary>
/// Symbolic variables and compiled functions as HTML: the <c>pp</c> text, a collapsible <c>debugprint</c>, and an
/// SVG drawing of the graph. Everything is computed here; the output needs no script.
/// </summary>
internal static class GraphHtml
{
    private const string CodeStyle =
        "font-family:monospace;white-space:pre-wrap;word-break:break-all;max-height:16em;overflow:auto;margin:4px 0;";

    // A summary shows its disclosure marker (▸, ▾ when open) only as a list item; the classic Notebook's
    // normalize.css makes it a block, which hides the marker, so the display is set inline.
    private const string SummaryStyle = "display:list-item;cursor:pointer;";

    public static string Variable(Variable variable) => Variable(variable, ExpressionGraph.DefaultMaxInnerNodes);

    public static string Variable(Variable variable, int maxInnerNodes)
    {
        var label = variable.name ?? "output";
        var html = new StringBuilder("<div class=\"theon-variable\">");
        html.Append(Muted($"{variable.name ?? "(unnamed)"} : {variable.type}"));
        html.Append($"<pre class=\"theon-pp\" style=\"{CodeStyle}\">{Html.Text(T.pp(variable))}</pre>");
        html.Append(Details("debugprint", T.debugprint(variable)));
        html.Append(Drawing([(variable, label)], caption: label, maxInnerNodes));
        return html.Append("</div>").ToString();
    }

    public static string VariableText(Variable variable) => T.pp(variable);

    public static string Function(CompiledFunction function) => Function(function, ExpressionGraph.DefaultMaxInnerNodes);

    public static string Function(CompiledFunction function, int maxInnerNodes)
    {
        var html = new StringBuilder("<div class=\"theon-function\">");
        html.Append("<div style=\"font-family:monospace;\"><b>function</b>(")
            .Append(Html.Text(Signature(function.Inputs))).Append(") → ")
            .Append(Html.Text(Signature(function.Outputs))).Append("</div>");
        if (function.Updates.Count > 0)
        {
            var updated = function.Updates.Select(u => u.Variable.name ?? "(unnamed)");
            html.Append(Muted("updates: " + string.Join(", ", updated)));
        }
        html.Append(Muted(OptimizerSummary(function), "theon-optimizer"));
        var rewrites = RewriteCounts(function);
        if (rewrites.Length > 0)
            html.Append(Details($"rewrites that fired ({function.RewritesApplied.Count})", rewrites));
        html.Append($"<pre class=\"theon-pp\" style=\"{CodeStyle}\">{Html.Text(OptimizedPp(function))}</pre>");
        html.Append(Details("debugprint (optimized, with execution order)",
            Printing.DebugPrinter.Print(function.OptimizedOutputs, function.Schedule)));
        html.Append(Drawing(OptimizedOutputs(function), caption: "optimized graph", maxInnerNodes));
        return html.Append("</div>").ToString();
    }

    public static string FunctionText(CompiledFunction function) =>
        $"function({Signature(function.Inputs)}) -> {Signature(function.Outputs)}\n"
        + $"{OptimizerSummary(function)}\n{OptimizedPp(function)}";

    internal static string OptimizerSummary(CompiledFunction function)
    {
        var removed = function.NodesBefore - function.NodesAfter;
        return $"optimizer: {function.NodesBefore} nodes → {function.NodesAfter} ({removed} removed), "
            + $"{function.RewritesApplied.Count} rewrites";
    }

    private static string OptimizedPp(CompiledFunction function) =>
        string.Join("\n", OptimizedOutputs(function).Select(o => $"{o.Label} = {T.pp(o.Variable)}"));

    private static string RewriteCounts(CompiledFunction function) =>
        string.Join("\n", function.RewritesApplied.GroupBy(r => r)
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}"));

    internal static List<(Variable Variable, string Label)> OptimizedOutputs(CompiledFunction function)
    {
        var outputs = new List<(Variable, string)>();
        for (var i = 0; i < function.OptimizedOutputs.Count; i++)
        {
            var label = i < function.Outputs.Count
                ? function.Outputs[i].name ?? (function.Outputs.Count == 1 ? "output" : $"output {i}")
                : $"{function.Updates[i - function.Outputs.Count].Variable.name ?? "shared"} (update)";
            outputs.Add((function.OptimizedOutputs[i], label));
        }
        return outputs;
    }

    /// <summary>The op nodes of a drawing, those inside its frames included (as a collapsed frame counts them).</summary>
    private static int Applies(GraphModel graph) =>
        graph.Nodes.Where(n => n.Kind == GraphNodeKind.Apply)
            .Sum(n => 1 + ((n.Expanded ?? n.Inner) is { } step ? Applies(step) : 0));

    private static string Signature(IEnumerable<Variable> variables) =>
        string.Join(", ", variables.Select(v => $"{v.name ?? "_"}: {v.type}"));

    private static string Details(string summary, string body) =>
        $"<details><summary style=\"{SummaryStyle}\">{Html.Text(summary)}</summary>"
        + $"<pre style=\"{CodeStyle}\">{Html.Text(body)}</pre></details>";

    private static string Muted(string text, string? cssClass = null) =>
        $"<div{(cssClass is null ? "" : $" class=\"{cssClass}\"")} style=\"font-family:monospace;color:#555;\">"
        + $"{Html.Text(text)}</div>";

    private static string Drawing(IReadOnlyList<(Variable Variable, string Label)> outputs, string caption,
        int maxInnerNodes)
    {
        var applies = ExpressionGraph.CountApplies(outputs.Select(o => o.Variable));
        if (applies > ExpressionGraph.MaxDrawnApplies)
            return $"<div style=\"color:#888;\">graph of {applies} nodes: too large to draw "
                + $"(the limit is {ExpressionGraph.MaxDrawnApplies}).</div>";
        var graph = ExpressionGraph.Build(outputs, maxInnerNodes);
        var html = new StringBuilder("<div class=\"theon-graph-drawing\" style=\"overflow:auto;max-height:60em;\">")
            .Append(SvgGraph.Render(graph, caption)).Append("</div>");
        AppendCollapsedSteps(html, graph);
        return html.ToString();
    }

    /// <summary>
    /// Each collapsed frame's step in full, in a section that expands (no script: JupyterLab's sanitizer keeps
    /// it), in drawing order; the collapsed frames inside a step are sections inside its section.
    /// </summary>
    private static void AppendCollapsedSteps(StringBuilder html, GraphModel graph)
    {
        foreach (var node in graph.Nodes)
        {
            if (node.Expanded is { } full)
            {
                html.Append($"<details class=\"theon-step\"><summary style=\"{SummaryStyle}\">")
                    .Append(Html.Text($"{node.Label}: the step in full ({Applies(full)} nodes)"))
                    .Append("</summary><div style=\"overflow:auto;max-height:60em;\">")
                    .Append(SvgGraph.Render(full, caption: $"{node.Label}: step")).Append("</div>");
                AppendCollapsedSteps(html, full);
                html.Append("</details>");
            }
            else if (node.Inner is { } inner)
            {
                AppendCollapsedSteps(html, inner);
            }
        }
    }
}
