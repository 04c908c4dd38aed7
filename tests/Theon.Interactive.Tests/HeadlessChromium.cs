using System.Diagnostics;

namespace Theon.Interactive.Tests;

/// <summary>Debian's chromium, run headless against a local file with every network path closed.</summary>
internal sealed class HeadlessChromium
{
    private static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome"];

    private HeadlessChromium(string executable) => Executable = executable;

    public string Executable { get; }

    /// <summary>
    /// The browser, or a failure (not a skip): CI installs Debian's chromium, so its absence is a broken setup.
    /// </summary>
    public static HeadlessChromium Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        var found = Candidates.SelectMany(name => path.Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            "No chromium on PATH: install Debian's `chromium` package (`apt-get install chromium`; .ci/run does).");
        return new HeadlessChromium(found!);
    }

    public string DumpDom(string page, TimeSpan virtualTime) =>
        Run(page, $"--virtual-time-budget={(int)virtualTime.TotalMilliseconds}", "--dump-dom");

    public void Screenshot(string page, string png, TimeSpan virtualTime, int width = 1200, int height = 2600) =>
        Run(page, $"--virtual-time-budget={(int)virtualTime.TotalMilliseconds}", $"--window-size={width},{height}",
            "--hide-scrollbars", $"--screenshot={png}");

    private string Run(string page, params string[] action)
    {
        var profile = Directory.CreateTempSubdirectory("theon-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] flags =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                $"--user-data-dir={profile.FullName}",
                // The network is off: no proxy answers and no name resolves, so any fetch of plotly.js would fail.
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ];
            foreach (var argument in flags.Concat(action).Append(new Uri(page).AbsoluteUri))
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within 120 s: {stderr.Result}");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
