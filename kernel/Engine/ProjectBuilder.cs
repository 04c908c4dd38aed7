using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Engine;

/// <summary>A failed build of a <c>#r "X.csproj"</c>; <see cref="Errors"/> holds the compiler's lines.</summary>
public sealed class ProjectBuildException(string message, IReadOnlyList<string> errors) : Exception(message)
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Builds the project of a <c>#r "path/to/X.csproj"</c> with <c>dotnet build -c Release</c> into a fresh output
/// folder and returns every assembly there: the project's own, its project references' and, since the build copies
/// them (<c>CopyLocalLockFileAssemblies</c>), its package dependencies as the runtime would load them.
/// Each build gets a higher <c>AssemblyVersion</c> and its own folder, so a re-run after an edit supersedes the
/// previous build in the script's references; <see cref="Load"/> loads it beside the previous one.
/// The outputs stay while the process runs (a build's assemblies load lazily from them) and go when it exits; a
/// process that could not clean up (killed) leaves its folder to the next build of any kernel, which removes it.
/// </summary>
public sealed class ProjectBuilder(string baseDirectory)
{
    private static readonly string SharedRoot = Path.Combine(Path.GetTempPath(), "theon-projects");
    private readonly string outputRoot =
        Path.Combine(SharedRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..16]);
    private int builds;

    /// <summary>How long one build may run before it is stopped.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    public static bool IsProject(string reference) =>
        reference.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) && !NuGetRestorer.IsNuGet(reference);

    /// <summary>Builds the project (relative to the engine's directory) and returns its output's assemblies.</summary>
    public IReadOnlyList<string> Build(string reference)
    {
        var project = Path.GetFullPath(reference, baseDirectory);
        if (!File.Exists(project))
            throw new ProjectBuildException($"#r \"{reference}\": no project at {project}", []);
        if (builds++ == 0) Claim();
        var output = Path.Combine(outputRoot, builds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (exitCode, log) = RunBuild(project, output);
        if (exitCode != 0)
        {
            var errors = log.Split('\n').Select(l => l.Trim())
                .Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
            if (errors.Count == 0) errors = log.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            throw new ProjectBuildException(
                $"#r \"{reference}\": the build failed\n{string.Join("\n", errors)}", errors);
        }
        return Directory.EnumerateFiles(output, "*.dll").ToList();
    }

    /// <summary>
    /// Loads a build's assemblies (those the kernel does not have) into a load context of their own; any other
    /// assembly they need comes from the kernel's. Roslyn's script loader resolves a weakly named assembly to the
    /// highest version it has loaded, and would otherwise find the previous build, loaded by an earlier cell, before
    /// looking at the new files.
    /// </summary>
    public static IReadOnlyList<Assembly> Load(IReadOnlyList<string> assemblies)
    {
        var context = new BuildContext(assemblies);
        var loaded = new List<Assembly>();
        foreach (var path in assemblies)
        {
            try
            {
                var name = AssemblyName.GetAssemblyName(path);
                loaded.Add(context.LoadFromAssemblyName(name));
            }
            catch (BadImageFormatException)
            {
            }
        }
        return loaded;
    }

    private void Claim()
    {
        RemoveOrphans();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(outputRoot);
    }

    /// <summary>Removes the output folders of kernels that are no longer running (named "pid-…").</summary>
    private static void RemoveOrphans()
    {
        if (!Directory.Exists(SharedRoot)) return;
        foreach (var folder in Directory.EnumerateDirectories(SharedRoot))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), out var pid) && !IsRunning(pid)) TryDelete(folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }

    private sealed class BuildContext(IReadOnlyList<string> assemblies) : AssemblyLoadContext("theon-project")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = assemblies.FirstOrDefault(p =>
                string.Equals(Path.GetFileNameWithoutExtension(p), name.Name, StringComparison.OrdinalIgnoreCase));
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }

    private (int ExitCode, string Output) RunBuild(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        string[] arguments =
        [
            "build", project, "-c", "Release", "--nologo", "-v", "quiet", "-nodeReuse:false", "-clp:NoSummary",
            $"-p:OutDir={output}{Path.DirectorySeparatorChar}", "-p:CopyLocalLockFileAssemblies=true",
            $"-p:AssemblyVersion=1.0.{builds}.0", "-p:GenerateDocumentationFile=false",
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start `dotnet build` for #r \"{project}\"");
        var error = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEndAsync();
        var exited = process.WaitForExitAsync(Interruption.Token);
        try
        {
            if (!exited.Wait(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ProjectBuildException(
                    $"#r \"{project}\": the build did not finish in {Timeout.TotalSeconds:0} s and was stopped", []);
            }
        }
        catch (AggregateException) when (Interruption.IsRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new KeyboardInterruptException();
        }
        return (process.ExitCode, text.Result + error.Result);
    }
}
