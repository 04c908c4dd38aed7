using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Theon.Interactive.Tests.EndToEnd;

/// <summary>The extension inside Theon's real kernel, over Jupyter's wire protocol (jupyter_client).</summary>
[Collection(KernelCollection.Name)]
public class KernelEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Live_plot_redraws_one_display_with_updates_bounded_by_the_throttle()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var theon = await TheonKernel.BuildAsync(cancellation);
        var folder = Directory.CreateTempSubdirectory("theon-live-");
        try
        {
            const int points = 150;
            var cells = await TheonKernel.RunCellsAsync(theon, folder.FullName,
            [
                "Theon.Interactive.Extension.Load();",
                $$"""
                var live = Plot.Live(title: "validation error (%)");
                var watch = System.Diagnostics.Stopwatch.StartNew();
                for (var i = 1; i <= {{points}}; i++) { live.Add(i, 100.0 / i); Thread.Sleep(10); }
                Console.WriteLine($"elapsed {watch.ElapsedMilliseconds}");
                """,
            ], cancellation, lingerSeconds: 1.5);
            Assert.All(cells, cell => Assert.Equal("ok", (string?)cell!["status"]));
            var cell = cells[1]!;
            var shown = TheonKernel.Messages(cell, "display_data").ToList();
            Assert.Equal(2, shown.Count);
            Assert.Contains("plotly.js v", (string?)shown[0]["data"]!["text/html"]);
            var chartId = (string?)shown[1]["transient"]!["display_id"];
            var updates = TheonKernel.Messages(cell, "update_display_data").ToList();
            Assert.All(updates, u => Assert.Equal(chartId, (string?)u["transient"]!["display_id"]));

            var stdout = string.Concat(TheonKernel.Messages(cell, "stream").Select(s => (string?)s["text"]));
            var elapsed = double.Parse(stdout.Split("elapsed ")[1].Trim());
            output.WriteLine($"{updates.Count} updates for {points} points over {elapsed} ms");
            Assert.InRange(updates.Count, 3, (int)(elapsed / LivePlot.MinRedrawInterval.TotalMilliseconds) + 2);

            var last = FigureJson.FromHtml((string)updates[^1]["data"]!["text/html"]!);
            Assert.Equal(points, last.GetProperty("data")[0].GetProperty("y").GetArrayLength());
            Assert.StartsWith($"Plot \"validation error (%)\": 1 series, {points} points",
                (string?)updates[^1]["data"]!["text/plain"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The code cells of notebooks/03-xnor.ipynb (the 03 walkthrough, plots included) as one cell.</summary>
    private static string XnorWalkthrough()
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(TheonKernel.RepositoryRoot(), "notebooks", "03-xnor.ipynb")))!;
        return string.Join("\n", notebook["cells"]!.AsArray()
            .Where(cell => (string?)cell!["cell_type"] == "code")
            .Select(cell => string.Concat(cell!["source"]!.AsArray().Select(line => (string?)line))));
    }

    [Fact]
    public async Task Xnor_walkthrough_displays_its_cost_plot_and_its_graph()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var theon = await TheonKernel.BuildAsync(cancellation);
        var folder = Directory.CreateTempSubdirectory("theon-xnor-");
        try
        {
            var cells = await TheonKernel.RunCellsAsync(theon, folder.FullName,
                ["Theon.Interactive.Extension.Load();", XnorWalkthrough()], cancellation);
            Assert.All(cells, cell => Assert.Equal("ok", (string?)cell!["status"]));
            var shown = TheonKernel.Messages(cells[1]!, "display_data").ToList();
            Assert.Equal(2, shown.Count);
            var plot = (string)shown[0]["data"]!["text/html"]!;
            Assert.Contains("class=\"theon-plot\"", plot);
            Assert.Contains("plotly.js v", plot);
            var drawn = FigureJson.FromHtml(plot).GetProperty("data")[0].GetProperty("y").GetArrayLength();
            Assert.InRange(drawn, 100, Decimation.MaxLinePoints);
            Assert.StartsWith("Plot \"XNOR: cost during training\": 1 series, 30000 points",
                (string?)shown[0]["data"]!["text/plain"]);
            var graph = (string)shown[1]["data"]!["text/html"]!;
            Assert.Contains("<div class=\"theon-variable\">", graph);
            Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"theon-graph\"", graph);
            Assert.Contains("Sum{acc_dtype=float64}(((a_hat * log(", (string?)shown[1]["data"]!["text/plain"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Package_restored_from_a_local_folder_loads_with_r_nuget_and_runs_extension_dib()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var theon = await TheonKernel.BuildAsync(cancellation);
        var folder = Directory.CreateTempSubdirectory("theon-nuget-");
        try
        {
            // A version of its own, so that no package left in the NuGet cache by an earlier run is picked up.
            var version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
            var feed = Directory.CreateDirectory(Path.Combine(folder.FullName, "feed")).FullName;
            var root = TheonKernel.RepositoryRoot();
            foreach (var project in new[] { "tensorlib/Theon.csproj", "extensions/Theon.Interactive.csproj" })
                await Packages.PackAsync(Path.Combine(root, project), feed, version, cancellation);
            File.WriteAllText(Path.Combine(folder.FullName, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="theon-local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);

            var cells = await TheonKernel.RunCellsAsync(theon, folder.FullName,
            [
                $"#r \"nuget: Theon.Interactive, {version}\"",
                """
                Console.WriteLine($"loaded {Theon.Interactive.Extension.IsLoaded}");
                display(Plot.Cost(new double[] { 1, 0.5, 0.25 }, title: "cost"));
                """,
            ], cancellation);
            foreach (var text in cells.Select(c => c!.ToJsonString()))
                output.WriteLine(text[..Math.Min(2000, text.Length)]);
            Assert.All(cells, cell => Assert.Equal("ok", (string?)cell!["status"]));
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var dib = Path.Combine(packages, "theon.interactive", version, "interactive-extensions", "dotnet",
                "extension.dib");
            Assert.True(File.Exists(dib),
                "the restored package carries extension.dib, which the kernel ran after #r");
            var stdout = string.Concat(TheonKernel.Messages(cells[1]!, "stream").Select(s => (string?)s["text"]));
            Assert.Contains("loaded True", stdout);
            var shown = Assert.Single(TheonKernel.Messages(cells[1]!, "display_data"));
            Assert.Contains("class=\"theon-plot\"", (string?)shown["data"]!["text/html"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

/// <summary>Tests that build, pack or start kernels: they run one at a time, apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "theon kernel";
}
