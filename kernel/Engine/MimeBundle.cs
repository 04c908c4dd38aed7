using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Kernel.Engine;

/// <summary>
/// Renders a value through Microsoft.DotNet.Interactive.Formatting: always <c>text/plain</c>, plus the MIME types the
/// registry prefers for its type, so formatters registered by extensions show up here as in .NET Interactive.
/// </summary>
public static class MimeBundle
{
    public const string PlainText = "text/plain";

    public static Dictionary<string, string> For(object? value, string? mimeType = null)
    {
        var data = new Dictionary<string, string> { [PlainText] = Formatter.ToDisplayString(value, PlainText) };
        if (mimeType is not null)
        {
            data[mimeType] = Formatter.ToDisplayString(value, mimeType);
            return data;
        }
        if (value is null || IsScalar(value.GetType())) return data;
        foreach (var preferred in Formatter.GetPreferredMimeTypesFor(value.GetType()))
            if (preferred != PlainText) data[preferred] = Formatter.ToDisplayString(value, preferred);
        return data;
    }

    // Numbers and strings read best as plain text, as in IPython; their HTML form is only a <pre> around it.
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(char);
}
