using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Theon.Kernel.Engine;

/// <summary>A package brought in by <c>#r "nuget: ..."</c>: its runtime assemblies and extension scripts.</summary>
public sealed record RestoredPackage(string Name, IReadOnlyList<string> Assemblies, IReadOnlyList<string> Extensions);

/// <summary>
/// Restores a package through the machine's NuGet sources by running <c>dotnet restore</c> on a throwaway project,
/// then reads its <c>project.assets.json</c>. A <c>NuGet.Config</c> in the engine's directory (or above) is used.
/// </summary>
public sealed class NuGetRestorer(string baseDirectory)
{
    private readonly Dictionary<string, RestoredPackage> restored = new(StringComparer.OrdinalIgnoreCase);

    public static bool IsNuGet(string reference) => reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>nuget: Name, Version</c> (version optional).</summary>
    public static (string Name, string? Version) ParseDirective(string reference)
    {
        var spec = reference["nuget:".Length..].Split(',', StringSplitOptions.TrimEntries);
        if (spec.Length is < 1 or > 2 || spec[0].Length == 0)
            throw new ArgumentException(
                $"#r \"{reference}\": expected \"nuget: Name\" or \"nuget: Name, Version\", got {spec.Length} parts");
        return (spec[0], spec.Length == 2 && spec[1].Length > 0 ? spec[1] : null);
    }

    public RestoredPackage Restore(string name, string? version)
    {
        var key = $"{name}/{version ?? "*"}";
        if (restored.TryGetValue(key, out var known)) return known;
        var project = Path.Combine(Path.GetTempPath(), "theon-nuget", $"{Environment.ProcessId}-{restored.Count}");
        Directory.CreateDirectory(project);
        var projectFile = Path.Combine(project, "restore.csproj");
        File.WriteAllText(projectFile, ProjectText(name, version ?? "*"));
        var (exitCode, output) = RunRestore(projectFile);
        if (exitCode != 0)
        {
            var reasons = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Trim()).Distinct().Take(3);
            throw new InvalidOperationException(
                $"#r \"nuget: {name}{(version is null ? "" : ", " + version)}\": the package could not be restored "
                + "from "
                + $"the configured NuGet sources: {string.Join(" ", reasons)}");
        }
        var package = ReadAssets(name, Path.Combine(project, "obj", "project.assets.json"));
        restored[key] = package;
        return package;
    }

    private static string ProjectText(string name, string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
            <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
            <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
            <NoWarn>NU1603;NU1701</NoWarn>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="{Escape(name)}" Version="{Escape(version)}" />
          </ItemGroup>
        </Project>
        """;

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);

    private (int ExitCode, string Output) RunRestore(string projectFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "restore", projectFile, "--nologo", "-v", "quiet" })
            start.ArgumentList.Add(argument);
        if (FindConfig(baseDirectory) is { } config)
        {
            start.ArgumentList.Add("--configfile");
            start.ArgumentList.Add(config);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start `dotnet restore` for #r \"nuget: ...\"");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static string? FindConfig(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var config = dir.EnumerateFiles()
                .FirstOrDefault(f => f.Name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase));
            if (config is not null) return config.FullName;
        }
        return null;
    }

    private static RestoredPackage ReadAssets(string name, string assetsPath)
    {
        var assets = JsonNode.Parse(File.ReadAllText(assetsPath))!;
        var folders = assets["packageFolders"]!.AsObject().Select(p => p.Key).ToList();
        var libraries = assets["libraries"]!.AsObject();
        var target = assets["targets"]!.AsObject().First().Value!.AsObject();
        var assemblies = new List<string>();
        var extensions = new List<string>();
        foreach (var (id, entry) in target)
        {
            if (entry?["type"]?.GetValue<string>() != "package") continue;
            var library = libraries[id]!;
            var folder = folders.Select(f => Path.Combine(f, library["path"]!.GetValue<string>()))
                .FirstOrDefault(Directory.Exists);
            if (folder is null) continue;
            foreach (var (file, _) in entry["runtime"]?.AsObject() ?? [])
                if (!file.EndsWith("/_._", StringComparison.Ordinal)) assemblies.Add(Path.Combine(folder, file));
            if (library["files"]?.AsArray().Any(f => f?.GetValue<string>() == ExtensionDib.PathInPackage) == true)
                extensions.Add(Path.Combine(folder, ExtensionDib.PathInPackage));
        }
        return new RestoredPackage(name, assemblies, extensions);
    }
}
