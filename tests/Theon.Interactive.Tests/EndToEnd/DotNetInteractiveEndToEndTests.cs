using System.Text.Json.Nodes;

namespace Theon.Interactive.Tests.EndToEnd;

/// <summary>
/// The package in official .NET Interactive (the dotnet-interactive tool, installed from NuGet into the test output),
/// run as a Jupyter kernel: <c>#r "nuget: Theon.Interactive"</c> from a local folder runs extension.dib, which
/// brings the usings and routes display, live plots and progress bars through .NET Interactive.
/// </summary>
[Collection(KernelCollection.Name)]
public class DotNetInteractiveEndToEndTests(ITestOutputHelper output)
{
    private const string ToolVersion = "1.0.712001";

    [Fact]
    public async Task Package_loads_in_dotnet_interactive_and_its_outputs_update_in_place()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var tool = await InstallToolAsync(cancellation);
        var folder = Directory.CreateTempSubdirectory("theon-dni-");
        try
        {
            var version = $"0.1.0-dni.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
            var feed = Directory.CreateDirectory(Path.Combine(folder.FullName, "feed")).FullName;
            foreach (var project in new[] { "tensorlib/Theon.csproj", "extensions/Theon.Interactive.csproj" })
            {
                var path = Path.Combine(TheonKernel.RepositoryRoot(), project);
                await Packages.PackAsync(path, feed, version, cancellation);
            }

            var cells = await TheonKernel.RunCellsInKernelAsync(
                [tool, "jupyter", "--default-kernel", "csharp", "{connection_file}",
                 "--http-port-range", "41000-41999"],
                folder.FullName,
                [
                    $"#i \"nuget: {feed}\"\n#r \"nuget: Theon.Interactive, {version}\"",
                    "var x = dscalar(\"x\");\ndisplay(x * x + 1);",
                    """
                    var live = Plot.Live(title: "error");
                    foreach (var i in progress(Enumerable.Range(1, 30), "epochs")) live.Add(i, 1.0 / i);
                    """,
                    "Theon.Interactive.Notebook.Host.GetType().Name",
                ], cancellation);
            foreach (var cell in cells) output.WriteLine(Shorten(cell!.ToJsonString()));
            Assert.All(cells, cell => Assert.Equal("ok", (string?)cell!["status"]));

            var variable = Assert.Single(TheonKernel.Messages(cells[1]!, "display_data"));
            Assert.Contains("<div class=\"theon-variable\">", (string?)variable["data"]!["text/html"]);
            Assert.Equal("((x * x) + TensorConstant{1})", (string?)variable["data"]!["text/plain"]);

            var shown = TheonKernel.Messages(cells[2]!, "display_data").ToList();
            Assert.Equal(3, shown.Count);
            var chartId = (string?)shown[1]["transient"]!["display_id"];
            var progressId = (string?)shown[2]["transient"]!["display_id"];
            var updates = TheonKernel.Messages(cells[2]!, "update_display_data").ToList();
            var chartUpdates = updates.Where(u => (string?)u["transient"]!["display_id"] == chartId).ToList();
            Assert.Equal(30, FigureJson.FromHtml((string)chartUpdates[^1]["data"]!["text/html"]!)
                .GetProperty("data")[0].GetProperty("y").GetArrayLength());
            var progressUpdates = updates.Where(u => (string?)u["transient"]!["display_id"] == progressId).ToList();
            Assert.StartsWith("epochs: 100%", (string?)progressUpdates[^1]["data"]!["text/plain"]);

            var host = Assert.Single(TheonKernel.Messages(cells[3]!, "execute_result"));
            Assert.Equal("DotNetInteractiveHost", (string?)host["data"]!["text/plain"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> InstallToolAsync(CancellationToken cancellation)
    {
        var toolPath = Path.Combine(AppContext.BaseDirectory, "TestResults", "dotnet-interactive", ToolVersion);
        var tool = Path.Combine(toolPath, "dotnet-interactive");
        if (File.Exists(tool)) return tool;
        var (exit, log) = await TheonKernel.RunAsync("dotnet",
            ["tool", "install", "--tool-path", toolPath, "Microsoft.dotnet-interactive", "--version", ToolVersion],
            null, AppContext.BaseDirectory, TimeSpan.FromMinutes(5), cancellation);
        Assert.True(exit == 0 && File.Exists(tool),
            $"installing dotnet-interactive {ToolVersion} from NuGet failed:\n{log}");
        return tool;
    }

    private static string Shorten(string text) => text.Length <= 1500 ? text : text[..1500] + "…";
}
