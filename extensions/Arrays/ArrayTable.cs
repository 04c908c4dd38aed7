using System.Text;

namespace Theon.Interactive.Arrays;

/// <summary>An n-d array seen through its shape, dtype and row-major elements as text.</summary>
internal sealed record ArrayView(IReadOnlyList<int> Shape, string DType, Func<long, string> Element)
{
    public long Size => Shape.Aggregate(1L, (product, n) => product * n);

    public string ShapeText => Shape.Count == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";
}

/// <summary>
/// An array as an HTML table with its shape and dtype. Past <see cref="Threshold"/> elements it is summarised as
/// numpy prints: the first and last <see cref="EdgeItems"/> entries of each axis around an ellipsis. Arrays of more
/// than two dimensions are shown as a sequence of 2-D slices.
/// </summary>
internal static class ArrayTable
{
    public const int Threshold = 1000, EdgeItems = 3, WrapWidth = 10;

    public static string Render(ArrayView array, string? name = null)
    {
        var summarise = array.Size > Threshold;
        var html = new StringBuilder("<div class=\"theon-array\">");
        html.Append("<div class=\"theon-array-meta\" style=\"font-family:monospace;color:#555;margin-bottom:4px;\">");
        if (name is not null) html.Append($"<b>{Html.Text(name)}</b> ");
        html.Append($"array shape {Html.Text(array.ShapeText)} dtype {Html.Text(array.DType)}");
        if (summarise) html.Append($" (summarised: {array.Size} elements)");
        html.Append("</div>");
        switch (array.Shape.Count)
        {
            case 0:
                html.Append($"<pre class=\"theon-array-scalar\">{Html.Text(array.Element(0))}</pre>");
                break;
            case 1:
                AppendVector(html, array, summarise);
                break;
            default:
                AppendSlices(html, array, summarise);
                break;
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// The indices shown along an axis of length <paramref name="length"/>; -1 stands for the ellipsis.
    /// </summary>
    internal static IReadOnlyList<int> Shown(int length, bool summarise) =>
        summarise && length > 2 * EdgeItems
            ? [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(length - EdgeItems, EdgeItems)]
            : [.. Enumerable.Range(0, length)];

    private static void AppendVector(StringBuilder html, ArrayView array, bool summarise)
    {
        var shown = Shown(array.Shape[0], summarise);
        // A long vector is wrapped into rows, each headed by the index it starts at.
        var rows = shown.Chunk(WrapWidth).ToArray();
        OpenTable(html);
        if (rows.Length == 1)
        {
            html.Append("<thead><tr>");
            foreach (var i in shown) html.Append(HeaderCell(i));
            html.Append("</tr></thead>");
        }
        html.Append("<tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            if (rows.Length > 1) html.Append(HeaderCell(row[0]));
            foreach (var i in row) html.Append(i < 0 ? Ellipsis() : Cell(array.Element(i)));
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void AppendSlices(StringBuilder html, ArrayView array, bool summarise)
    {
        var shape = array.Shape;
        var (rows, columns) = (shape[^2], shape[^1]);
        var leading = shape.Take(shape.Count - 2).ToArray();
        foreach (var prefix in LeadingIndices(leading, summarise))
        {
            if (prefix is null)
            {
                html.Append("<div class=\"theon-array-ellipsis\" style=\"font-family:monospace;\">⋮</div>");
                continue;
            }
            if (leading.Length > 0)
                html.Append("<div style=\"font-family:monospace;margin-top:6px;\">")
                    .Append($"[{string.Join(", ", prefix)}, :, :]</div>");
            long offset = 0;
            for (var axis = 0; axis < prefix.Length; axis++) offset = offset * shape[axis] + prefix[axis];
            offset *= (long)rows * columns;
            var shownColumns = Shown(columns, summarise);
            OpenTable(html);
            html.Append("<thead><tr><th></th>");
            foreach (var c in shownColumns) html.Append(HeaderCell(c));
            html.Append("</tr></thead><tbody>");
            foreach (var r in Shown(rows, summarise))
            {
                html.Append("<tr>").Append(HeaderCell(r));
                foreach (var c in shownColumns)
                    html.Append(r < 0 || c < 0 ? Ellipsis() : Cell(array.Element(offset + (long)r * columns + c)));
                html.Append("</tr>");
            }
            html.Append("</tbody></table>");
        }
    }

    /// <summary>Every index tuple of the leading axes, in order, with null where a summary skips some.</summary>
    private static IEnumerable<int[]?> LeadingIndices(int[] leading, bool summarise)
    {
        IEnumerable<int[]?> tuples = [Array.Empty<int>()];
        foreach (var length in leading)
        {
            var shown = Shown(length, summarise);
            tuples = tuples.SelectMany(prefix => prefix is null
                ? [null]
                : shown.Select(i => i < 0 ? null : (int[]?)[.. prefix, i])).ToList();
            tuples = CollapseRuns(tuples);
        }
        return tuples;
    }

    private static List<int[]?> CollapseRuns(IEnumerable<int[]?> tuples)
    {
        var result = new List<int[]?>();
        foreach (var tuple in tuples)
            if (tuple is not null || result.Count == 0 || result[^1] is not null) result.Add(tuple);
        return result;
    }

    private static void OpenTable(StringBuilder html) =>
        html.Append("<table class=\"theon-array-table\" style=\"font-family:monospace;border-collapse:collapse;\">");

    private static string HeaderCell(int index) =>
        index < 0 ? "<th>…</th>" : $"<th style=\"color:#888;font-weight:normal;padding:1px 6px;\">{index}</th>";

    private static string Cell(string text) =>
        $"<td style=\"text-align:right;padding:1px 6px;\">{Html.Text(text)}</td>";

    private static string Ellipsis() => "<td style=\"text-align:center;color:#888;\">…</td>";
}
