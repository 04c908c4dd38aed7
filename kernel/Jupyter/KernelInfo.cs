using System.Reflection;
using System.Text.Json.Nodes;

namespace Theon.Kernel;

/// <summary>What the kernel says about itself (kernel_info_reply, notebook metadata, --version).</summary>
internal static class KernelInfo
{
    public const string ProtocolVersion = "5.3";

    public static string Version { get; } =
        typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";

    public static JsonObject LanguageInfo() => new()
    {
        ["name"] = "csharp",
        ["version"] = "14.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };
}
