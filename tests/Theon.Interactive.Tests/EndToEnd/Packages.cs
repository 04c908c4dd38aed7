namespace Theon.Interactive.Tests.EndToEnd;

internal static class Packages
{
    /// <summary>
    /// Packs a project into <paramref name="feed"/> with its own version, so no cached package is reused.
    /// </summary>
    public static async Task PackAsync(string project, string feed, string version, CancellationToken cancellation)
    {
        var (exit, log) = await TheonKernel.RunAsync("dotnet",
            ["pack", project, "-o", feed, $"-p:Version={version}", "--nologo", "-v", "quiet", "-nodeReuse:false",
             "-p:UseSharedCompilation=false"],
            null, Path.GetDirectoryName(project)!, TimeSpan.FromMinutes(5), cancellation);
        Assert.True(exit == 0, $"dotnet pack {project} failed:\n{log}");
    }
}
