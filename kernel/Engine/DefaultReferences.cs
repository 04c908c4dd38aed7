using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive.Formatting;
using Theon.Interactive;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Engine;

/// <summary>
/// What every cell can use without <c>#r</c>: the framework, Theon, its notebook extension, the kernel's runtime.
/// </summary>
internal static class DefaultReferences
{
    private static readonly string[] ExtensionDependencies =
        ["Microsoft.AspNetCore.Html.Abstractions", "Plotly.NET", "Spectre.Console", "FSharp.Core"];

    private static IReadOnlyList<MetadataReference>? cached;

    public static IReadOnlyList<MetadataReference> Load() => cached ??= Build();

    private static List<MetadataReference> Build()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = Directory.EnumerateFiles(framework, "*.dll")
            .Where(p => IsFrameworkAssembly(Path.GetFileNameWithoutExtension(p)))
            .ToList();
        paths.Add(typeof(T).Assembly.Location);
        paths.Add(typeof(Notebook).Assembly.Location);
        paths.Add(typeof(Formatter).Assembly.Location);
        paths.Add(typeof(Interruption).Assembly.Location);
        var appDirectory = Path.GetDirectoryName(typeof(Interruption).Assembly.Location)!;
        paths.AddRange(ExtensionDependencies.Select(n => Path.Combine(appDirectory, n + ".dll")).Where(File.Exists));
        return paths.Distinct().Select(Reference).ToList();
    }

    private static bool IsFrameworkAssembly(string name) =>
        (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib"
            or "Microsoft.CSharp" or "Microsoft.Win32.Primitives")
        && !name.StartsWith("System.Private.", StringComparison.Ordinal)
        || name == "System.Private.CoreLib";

    private static MetadataReference Reference(string path)
    {
        var xml = Path.ChangeExtension(path, ".xml");
        return MetadataReference.CreateFromFile(path,
            documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }
}
