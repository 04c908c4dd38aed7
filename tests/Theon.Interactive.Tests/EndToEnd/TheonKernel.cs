using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theon.Interactive.Tests.EndToEnd;

/// <summary>Theon's kernel (kernel/), driven by Python's jupyter_client through <c>jupyter_cells.py</c>.</summary>
internal static class TheonKernel
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Theon.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Theon.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration this test assembly was built with (bin/&lt;config&gt;/net10.0/).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static readonly SemaphoreSlim building = new(1, 1);
    private static string? built;

    /// <summary>Builds the kernel once per test run (a no-op when tests/run.sh already built the solution).</summary>
    public static async Task<string> BuildAsync(CancellationToken cancellation)
    {
        await building.WaitAsync(cancellation);
        try
        {
            return built ??= await BuildOnceAsync(cancellation);
        }
        finally
        {
            building.Release();
        }
    }

    private static async Task<string> BuildOnceAsync(CancellationToken cancellation)
    {
        var root = RepositoryRoot();
        var (exit, output) = await RunAsync("dotnet",
            ["build", Path.Combine(root, "kernel", "Theon.Kernel.csproj"), "-c", Configuration, "--nologo",
             "-v", "quiet",
             "-nodeReuse:false", "-p:UseSharedCompilation=false"], null, root, TimeSpan.FromMinutes(8), cancellation);
        Assert.True(exit == 0, $"building the kernel failed:\n{output}");
        var theon = Path.Combine(root, "kernel", "bin", Configuration, "net10.0", "theon");
        Assert.True(File.Exists(theon), $"{theon} was not built");
        return theon;
    }

    /// <summary>Runs the cells in one fresh kernel; each result has "status" and "messages" (type, content).</summary>
    public static Task<JsonArray> RunCellsAsync(string theon, string workingDirectory, IReadOnlyList<string> cells,
        CancellationToken cancellation, double lingerSeconds = 0) =>
        RunCellsAsync(new JsonObject { ["theon"] = theon }, workingDirectory, cells, cancellation, lingerSeconds);

    /// <summary>Runs the cells in another Jupyter kernel, started with <paramref name="argv"/>.</summary>
    public static Task<JsonArray> RunCellsInKernelAsync(IReadOnlyList<string> argv, string workingDirectory,
        IReadOnlyList<string> cells, CancellationToken cancellation, double lingerSeconds = 0) =>
        RunCellsAsync(new JsonObject { ["argv"] = new JsonArray([.. argv.Select(a => (JsonNode)JsonValue.Create(a))]) },
            workingDirectory, cells, cancellation, lingerSeconds);

    private static async Task<JsonArray> RunCellsAsync(JsonObject request, string workingDirectory,
        IReadOnlyList<string> cells,
        CancellationToken cancellation, double lingerSeconds)
    {
        request["cwd"] = workingDirectory;
        request["cells"] = new JsonArray(cells.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        request["timeout"] = 240;
        request["linger"] = lingerSeconds;
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "jupyter_cells.py");
        var (exit, output) = await RunAsync("/usr/bin/python3", [script], request.ToJsonString(), workingDirectory,
            TimeSpan.FromMinutes(9), cancellation, stdoutOnly: true);
        Assert.True(exit == 0, $"jupyter_cells.py failed ({exit}):\n{output}");
        return JsonNode.Parse(output)!.AsArray();
    }

    public static IEnumerable<JsonNode> Messages(JsonNode cell, string type) =>
        cell["messages"]!.AsArray().Where(m => (string?)m!["type"] == type).Select(m => m!["content"]!);

    internal static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, string? input,
        string workingDirectory, TimeSpan timeout, CancellationToken cancellation, bool stdoutOnly = false)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}: {await stderr}");
        }
        var error = await stderr;
        return (process.ExitCode, stdoutOnly && process.ExitCode == 0 ? await stdout : await stdout + error);
    }
}
