using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Kernel.Engine;

/// <summary>One row of <c>#!whos</c>: a session variable's name, type and a short description of its value.</summary>
public sealed record VariableRow(string Name, string Type, string Value);

/// <summary>
/// What <c>#!whos</c> shows: the session's variables, the latest binding of each name, in the order the names were
/// first declared. Rendered as an HTML table in a notebook and as aligned text in a terminal.
/// </summary>
public sealed class VariableTable(IReadOnlyList<VariableRow> rows)
{
    private const string Empty = "No variables.";
    private static readonly string[] Headers = ["Name", "Type", "Value"];

    public IReadOnlyList<VariableRow> Rows { get; } = rows;

    /// <summary>The variables of <paramref name="state"/>, skipping the compiler's own fields.</summary>
    public static VariableTable Of(ScriptState state)
    {
        var latest = new OrderedDictionary<string, ScriptVariable>();
        foreach (var variable in state.Variables)
            if (IsUserName(variable.Name)) latest[variable.Name] = variable;
        return new VariableTable([.. latest.Values.Select(Row)]);
    }

    /// <summary>Makes the formatting registry render the table as HTML and text when a front end shows it.</summary>
    public static void RegisterFormatters()
    {
        Formatter.Register<VariableTable>((table, writer) => writer.Write(table.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<VariableTable>((table, writer) => writer.Write(table.ToText()),
            PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(VariableTable), HtmlFormatter.MimeType,
            PlainTextFormatter.MimeType);
    }

    public string ToText()
    {
        if (Rows.Count == 0) return Empty;
        var cells = Rows.Select(r => new[] { r.Name, r.Type, r.Value }).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Length - 1).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var lines = cells
            .Select(row => $"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2]}".TrimEnd()).ToList();
        lines.Insert(1, string.Join("  ", widths.Select(w => new string('-', w)).Append("-----")));
        return string.Join('\n', lines);
    }

    public string ToHtml()
    {
        if (Rows.Count == 0) return $"<p>{Empty}</p>";
        var html = new StringBuilder("<table class=\"theon-whos\"><thead><tr>");
        foreach (var header in Headers) html.Append("<th style=\"text-align:left\">").Append(header).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            html.Append("<tr>");
            foreach (var cell in new[] { row.Name, row.Type, row.Value })
                html.Append("<td style=\"text-align:left\"><code>").Append(WebUtility.HtmlEncode(cell))
                    .Append("</code></td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public override string ToString() => ToText();

    private static bool IsUserName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && !name.Contains('<') && !name.Contains('$');

    private static VariableRow Row(ScriptVariable variable)
    {
        object? value;
        try
        {
            value = variable.Value;
        }
        catch (Exception error)
        {
            return new VariableRow(variable.Name, TypeNames.Of(variable.Type), $"<{error.GetType().Name}>");
        }
        return new VariableRow(variable.Name, TypeNames.Of(value?.GetType() ?? variable.Type), ValueSummary.Of(value));
    }
}

/// <summary>Short descriptions of values for <c>#!whos</c>: never the whole of a large array.</summary>
internal static class ValueSummary
{
    public const int MaxLength = 80;
    public const int PreviewElements = 5;

    public static string Of(object? value) => value switch
    {
        null => "null",
        SharedVariable shared => Array(shared.get_value(borrow: true), preview: false),
        Variable variable => variable.type.ToString(),
        NDArray array => Array(array, preview: true),
        _ => Truncate(Text(value)),
    };

    private static string Array(NDArray array, bool preview)
    {
        var described = $"{array.dtype}, shape {NDArray.ShapeString(array.shape)}";
        return preview ? $"{described}: {Preview(array)}" : described;
    }

    /// <summary>The first elements in C order, read one by one so a large array is not copied.</summary>
    private static string Preview(NDArray array)
    {
        var shape = array.shape;
        var count = Math.Min(array.size, PreviewElements);
        var items = new List<string>(count);
        var index = new int[shape.Length];
        for (var n = 0; n < count; n++)
        {
            items.Add(Element(array, index));
            for (var axis = shape.Length - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--) index[axis] = 0;
        }
        var more = array.size > count ? ", ..." : "";
        return $"[{string.Join(", ", items)}{more}]";
    }

    private static string Element(NDArray array, int[] index)
    {
        if (array.DType.IsBool) return array.GetItem<bool>(index) ? "True" : "False";
        if (array.DType.IsInteger) return array.GetItem<long>(index).ToString(CultureInfo.InvariantCulture);
        return array.GetItem<double>(index).ToString("G6", CultureInfo.InvariantCulture);
    }

    private static string Text(object value)
    {
        try
        {
            return value.ToString() ?? "";
        }
        catch (Exception error)
        {
            return $"<ToString threw {error.GetType().Name}>";
        }
    }

    private static string Truncate(string text)
    {
        var parts = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = string.Join(' ', parts);
        return line.Length <= MaxLength ? line : line[..(MaxLength - 3)] + "...";
    }
}

/// <summary>C# spellings of types: <c>int</c>, <c>List&lt;string&gt;</c>, <c>double[,]</c>, <c>int?</c>.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> Aliases = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(string)] = "string", [typeof(object)] = "object",
    };

    public static string Of(Type type)
    {
        if (Aliases.TryGetValue(type, out var alias)) return alias;
        if (type.IsArray) return $"{Of(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        if (Nullable.GetUnderlyingType(type) is { } underlying) return $"{Of(underlying)}?";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(Of))}>";
    }
}
