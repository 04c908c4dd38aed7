using System.Net;
using System.Text;

namespace Theon.Interactive;

/// <summary>Escaping for text placed in HTML, SVG and inline scripts.</summary>
internal static class Html
{
    public static string Text(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>
    /// Makes JSON safe inside a &lt;script&gt; element: no <c>&lt;/script&gt;</c>, <c>&lt;!--</c> or line separators
    /// can end the element or the string early. The escapes only ever occur inside JSON strings, where they are valid.
    /// </summary>
    public static string ScriptJson(string json)
    {
        var builder = new StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            builder.Append(c switch
            {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u2028' => "\\u2028",
                '\u2029' => "\\u2029",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    /// <summary>A JavaScript string literal that is safe inside a &lt;script&gt; element.</summary>
    public static string ScriptString(string value) => ScriptJson(System.Text.Json.JsonSerializer.Serialize(value));
}
