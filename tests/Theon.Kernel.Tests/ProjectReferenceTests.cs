using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Theon.Kernel.Engine;
using Theon.Kernel.Runner;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Tests;

/// <summary><c>#r "X.csproj"</c>: each build takes seconds, so each test builds as little as it can.</summary>
public class ProjectReferenceTests
{
    [Fact]
    public void R_of_a_project_builds_it_and_a_rerun_after_an_edit_uses_the_new_build()
    {
        using var dir = new TempDirectory();
        var project = Library(dir.Path, "Helpers", "public static string Hi() => \"hi v1\";");
        var engine = new ScriptEngine(dir.Path);
        Assert.Equal("hi v1", engine.Value("#r \"Helpers/Helpers.csproj\"\nHelpers.Greeter.Hi()"));
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(project)!, "Greeter.cs"),
            Source("public static string Hi() => \"hi v2\";"));
        Assert.Equal("hi v2", engine.Value($"#r \"{project}\"\nHelpers.Greeter.Hi()"));
        Assert.Equal("hi v2", engine.Value("Helpers.Greeter.Hi()"));
    }

    [Fact]
    public void A_build_error_is_a_cell_error_naming_file_line_and_code_with_the_state_unchanged()
    {
        using var dir = new TempDirectory();
        Library(dir.Path, "Broken", "public static int X() => \"not an int\";");
        var engine = new ScriptEngine(dir.Path);
        Assert.Equal(1, engine.Value("var n = 1; n"));
        var (outcome, _) = engine.Run("#r \"Broken/Broken.csproj\"\nvar n = 2;");
        Assert.Equal("ProjectBuildError", outcome.Error?.Name);
        Assert.Contains("Greeter.cs(4,", outcome.Error!.Message);
        Assert.Contains("error CS0029", outcome.Error.Message);
        Assert.Equal(1, engine.Value("n"));
    }

    [Fact]
    public void An_interrupt_stops_the_build()
    {
        using var dir = new TempDirectory();
        Library(dir.Path, "Slow", "public static int X() => 1;");
        var engine = new ScriptEngine(dir.Path);
        Assert.Equal(1, engine.Value("var n = 1; n"));
        using var timer = new Timer(_ => Interruption.Request(), null, 1000, Timeout.Infinite);
        var clock = Stopwatch.StartNew();
        var (outcome, _) = engine.Run("#r \"Slow/Slow.csproj\"\nvar n = 2;");
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal(1, engine.Value("n"));
    }

    [Fact]
    public void Theon_run_builds_a_project_next_to_the_notebook_with_its_project_and_package_references()
    {
        using var dir = new TempDirectory();
        var feed = Directory.CreateDirectory(Path.Combine(dir.Path, "feed")).FullName;
        var package = CompileAgainstReferencePack(dir.Path, "Theon.TestQuarter",
            "namespace Theon.TestQuarter; public static class Quarter { public static int Of(int v) => v / 4; }");
        ReferenceTests.Pack(feed, "Theon.TestQuarter", package, null, null);
        File.WriteAllText(Path.Combine(dir.Path, "NuGet.Config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(dir.Path, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        Library(dir.Path, "Data", "public static int Half() => Theon.TestQuarter.Quarter.Of(84);",
            "<PackageReference Include=\"Theon.TestQuarter\" Version=\"1.0.0\" />");
        Library(dir.Path, "Course", "public static int Answer() => 2 * Data.Greeter.Half();",
            "<ProjectReference Include=\"../Data/Data.csproj\" />");
        var input = Path.Combine(dir.Path, "lesson.ipynb");
        var output = Path.Combine(dir.Path, "out.ipynb");
        File.WriteAllText(input, "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], "
            + "\"execution_count\": null, \"source\": \"#r \\\"Course/Course.csproj\\\"\\n"
            + "Course.Greeter.Answer() + Theon.TestQuarter.Quarter.Of(4)\"}],"
            + " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}");
        Assert.Equal(0, ScriptRunner.Run(new FileInfo(input), new FileInfo(output)));
        var result = JsonNode.Parse(File.ReadAllText(output))!["cells"]![0]!["outputs"]![0]!;
        Assert.Equal("43", result["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_kernel_removes_its_build_outputs_when_it_exits_and_those_of_kernels_that_died()
    {
        using var dir = new TempDirectory();
        var temp = Directory.CreateDirectory(Path.Combine(dir.Path, "tmp")).FullName;
        var orphan = Path.Combine(temp, "theon-projects", $"{DeadProcessId()}-0123456789a");
        var survivor = Path.Combine(temp, "theon-projects", $"{Environment.ProcessId}-0123456789a");
        Directory.CreateDirectory(Path.Combine(orphan, "1"));
        Directory.CreateDirectory(Path.Combine(survivor, "1"));
        Library(dir.Path, "Helpers", "public static int Seven() => 7;");
        var input = Path.Combine(dir.Path, "lesson.ipynb");
        File.WriteAllText(input, "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], "
            + "\"execution_count\": null, \"source\": \"#r \\\"Helpers/Helpers.csproj\\\"\\nHelpers.Greeter.Seven()\"}],"
            + " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Theon.Kernel"))
        {
            ArgumentList = { "run", input, "--output", Path.Combine(dir.Path, "out.ipynb") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TMPDIR"] = temp;
        using var theon = Process.Start(start)!;
        var cancel = TestContext.Current.CancellationToken;
        var log = theon.StandardOutput.ReadToEndAsync(cancel);
        var errors = await theon.StandardError.ReadToEndAsync(cancel);
        await theon.WaitForExitAsync(cancel);
        Assert.True(theon.ExitCode == 0, await log + errors);
        Assert.False(Directory.Exists(orphan), "the folder of a kernel that is no longer running is still there");
        Assert.Equal([survivor], Directory.EnumerateDirectories(Path.Combine(temp, "theon-projects")));
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>A package's dll must be built against the reference pack, as a project that uses it is.</summary>
    private static string CompileAgainstReferencePack(string directory, string name, string code)
    {
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var packs = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, "packs", "Microsoft.NETCore.App.Ref");
        var pack = Directory.EnumerateDirectories(packs).Select(v => Path.Combine(v, "ref", framework))
            .Where(Directory.Exists).Order(StringComparer.Ordinal).Last();
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)],
            Directory.EnumerateFiles(pack, "*.dll").Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(directory, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    private static string Library(string directory, string name, string member, string? references = null)
    {
        references = references is null ? "" : $"<ItemGroup>{references}</ItemGroup>";
        var folder = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
        var project = Path.Combine(folder, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <RootNamespace>{name}</RootNamespace>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              {references}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Greeter.cs"),
            Source(member).Replace("namespace Helpers", "namespace " + name));
        return project;
    }

    private static string Source(string member) =>
        $"namespace Helpers;\npublic static class Greeter\n{{\n    {member}\n}}\n";
}
