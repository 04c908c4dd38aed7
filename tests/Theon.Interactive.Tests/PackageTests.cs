using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Theon.Interactive.Tests;

// Packing builds projects that the end-to-end tests pack and build too: they never run at the same time.
[Collection(EndToEnd.KernelCollection.Name)]
public class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dotnet_pack_produces_a_package_that_carries_extension_dib()
    {
        var folder = Directory.CreateTempSubdirectory("theon-pack-");
        try
        {
            var project = Path.Combine(EndToEnd.TheonKernel.RepositoryRoot(), "extensions", "Theon.Interactive.csproj");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // No build server or reused MSBuild nodes: the test leaves no process behind.
            foreach (var argument in new[] { "pack", project, "-o", folder.FullName, "--nologo", "-v", "quiet",
                         "-nodeReuse:false", "-p:UseSharedCompilation=false" })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            output.WriteLine(await stdout + await stderr);
            Assert.Equal(0, process.ExitCode);

            var package = Assert.Single(folder.GetFiles("Theon.Interactive.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
            Assert.Contains("lib/net10.0/Theon.Interactive.dll", entries);

            using var dib = new StreamReader(zip.GetEntry("interactive-extensions/dotnet/extension.dib")!.Open());
            var script = dib.ReadToEnd();
            Assert.Contains("#!csharp", script);
            Assert.Contains("Theon.Interactive.Extension.LoadInNotebook();", script);

            using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open();
            var dependencies = XDocument.Load(nuspecStream).Descendants()
                .Where(e => e.Name.LocalName == "dependency")
                .Select(e => (string)e.Attribute("id")!)
                .ToHashSet();
            Assert.Superset(
                new HashSet<string>
                {
                    "Theon", "Plotly.NET", "Microsoft.DotNet.Interactive.Formatting", "Spectre.Console",
                },
                dependencies);
            Assert.DoesNotContain("Microsoft.DotNet.Interactive", dependencies);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
