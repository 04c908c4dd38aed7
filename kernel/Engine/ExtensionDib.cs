namespace Theon.Kernel.Engine;

/// <summary>
/// Reads the C# cells of a package's <c>interactive-extensions/dotnet/extension.dib</c>, the convention .NET
/// Interactive uses to run a package's setup code once after it is referenced.
/// </summary>
internal static class ExtensionDib
{
    public const string PathInPackage = "interactive-extensions/dotnet/extension.dib";

    private static readonly HashSet<string> CSharpKernels = ["csharp", "c#", "C#"];

    private static readonly HashSet<string> OtherKernels =
    [
        "meta", "fsharp", "f#", "F#", "pwsh", "powershell", "markdown", "md", "javascript", "js", "html", "mermaid",
        "sql", "kql", "value", "http", "python", "r",
    ];

    public static IReadOnlyList<string> CSharpCells(string dibText)
    {
        var cells = new List<string>();
        List<string>? current = null;
        foreach (var raw in dibText.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                var kernel = line[2..].Trim();
                if (CSharpKernels.Contains(kernel) || OtherKernels.Contains(kernel))
                {
                    Flush(cells, current);
                    current = CSharpKernels.Contains(kernel) ? [] : null;
                    continue;
                }
            }
            current?.Add(raw);
        }
        Flush(cells, current);
        return cells;
    }

    private static void Flush(List<string> cells, List<string>? lines)
    {
        var text = lines is null ? "" : string.Join('\n', lines).Trim();
        if (text.Length > 0) cells.Add(text);
    }
}
