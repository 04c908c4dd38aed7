using System.Text.Json;
using System.Text.Json.Nodes;
using Theon.Kernel.Engine;
using Theon.Kernel.Jupyter;

namespace Theon.Kernel.Install;

/// <summary><c>theon install</c>: writes the kernelspec (kernel.json and logos) where Jupyter looks for it.</summary>
internal static class KernelSpecInstaller
{
    public const string DisplayName = "C# (Theon)";

    public static int Install(bool user, string? prefix, string name)
    {
        if (user && prefix is not null)
        {
            OutputRouter.OriginalError.WriteLine("theon install: give either --user or --prefix, not both");
            return 2;
        }
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            OutputRouter.OriginalError.WriteLine(
                $"theon install: --name must be letters, digits, '-', '_' or '.', got '{name}'");
            return 2;
        }
        var kernels = prefix is not null
            ? Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels")
            : Path.Combine(UserDataDirectory(), "kernels");
        var directory = Directory.CreateDirectory(Path.Combine(kernels, name.ToLowerInvariant())).FullName;
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(
                [.. Launcher().Select(a => JsonValue.Create(a)), "kernel", "--connection-file", "{connection_file}"]),
            ["display_name"] = name == "theon" ? DisplayName : $"{DisplayName} {name}",
            ["language"] = "csharp",
            ["interrupt_mode"] = "message",
            ["env"] = new JsonObject { [KernelServer.TieredCompilationVariable] = "0" },
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        File.WriteAllText(Path.Combine(directory, "kernel.json"),
            spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        foreach (var logo in new[] { "logo-32x32.png", "logo-64x64.png" })
        {
            using var source = typeof(KernelSpecInstaller).Assembly.GetManifestResourceStream(logo)
                ?? throw new InvalidOperationException($"the {logo} resource is missing from the theon assembly");
            using var target = File.Create(Path.Combine(directory, logo));
            source.CopyTo(target);
        }
        OutputRouter.OriginalOut.WriteLine($"Installed kernelspec {name} in {directory}");
        return 0;
    }

    /// <summary>How Jupyter starts this same build of theon: its apphost, or dotnet with the dll.</summary>
    private static IEnumerable<string> Launcher()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(KernelSpecInstaller).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, dll] : [process];
    }

    private static string UserDataDirectory()
    {
        var data = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(data)) return data;
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }
}
