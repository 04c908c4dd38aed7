using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Theon.Kernel.Engine;

namespace Theon.Kernel.Tests;

public class ReferenceTests
{
    [Fact]
    public void R_of_a_local_dll_makes_its_types_usable()
    {
        using var dir = new TempDirectory();
        var dll = Compile(dir.Path, "LocalLib",
            "namespace LocalLib; public static class Greeter { public static string Hi() => \"hi from dll\"; }");
        var engine = new ScriptEngine(dir.Path);
        Assert.Equal("hi from dll", engine.Value($"#r \"{dll}\"\nLocalLib.Greeter.Hi()"));
        var (repeated, _) = engine.Run("using static Theon.Interactive.Notebook;\nusing static LocalLib.Greeter;");
        Assert.True(repeated.Succeeded, repeated.Error?.Message);
        Assert.Equal("hi from dll",
            engine.Value("using static LocalLib.Greeter;\nCheck(true, \"repeated usings bind once\");\nHi()"));
    }

    [Fact]
    public void R_nuget_restores_from_a_local_source_and_runs_the_extension_once()
    {
        using var dir = new TempDirectory();
        var id = $"Theon.TestPackage{Guid.NewGuid():N}"[..30];
        var feed = Directory.CreateDirectory(Path.Combine(dir.Path, "feed")).FullName;
        var dependency = Compile(dir.Path, id + "Dep",
            $"namespace {id}Dep; public static class Half {{ public static int Of(int v) => v / 2; }}");
        Pack(feed, id + "Dep", dependency, null, null);
        var dll = Compile(dir.Path, id,
            $"namespace {id}; public static class Answer {{ public static int Get() => {id}Dep.Half.Of(84); }}",
            dependency);
        Pack(feed, id, dll, id + "Dep",
            "#!meta\n{}\n\n#!csharp\nConsole.WriteLine(\"extension loaded\");\n\n#!markdown\nnot code\n");
        File.WriteAllText(Path.Combine(dir.Path, "NuGet.Config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(dir.Path, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        var engine = new ScriptEngine(dir.Path);
        var (outcome, output) = engine.Run($"#r \"nuget: {id}, 1.0.0\"\n{id}.Answer.Get()");
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(42, outcome.Value);
        Assert.Equal("extension loaded\n", output.Text("stdout"));
        Assert.Equal("", engine.Run($"#r \"nuget: {id}, 1.0.0\"\n{id}.Answer.Get()").Output.Text("stdout"));

        var (missing, _) = engine.Run("#r \"nuget: No.Such.Package.Anywhere, 1.0.0\"");
        Assert.Equal("NuGetRestoreError", missing.Error?.Name);
        Assert.Contains("No.Such.Package.Anywhere", missing.Error!.Message);
    }

    private static string Compile(string directory, string name, string code, params string[] extra)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || p.EndsWith("netstandard.dll"))
            .Concat(extra)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(directory, name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    internal static void Pack(string feed, string id, string dll, string? dependency, string? extensionDib)
    {
        var dependencies = dependency is null ? "" : $"""
            <dependencies><group targetFramework="net8.0">
              <dependency id="{dependency}" version="1.0.0" />
            </group></dependencies>
            """;
        using var zip = ZipFile.Open(Path.Combine(feed, $"{id}.1.0.0.nupkg"), ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id><version>1.0.0</version><authors>test</authors><description>test</description>
                    {dependencies}
                  </metadata>
                </package>
                """);
        zip.CreateEntryFromFile(dll, $"lib/net8.0/{id}.dll");
        if (extensionDib is null) return;
        using var dib = new StreamWriter(zip.CreateEntry(ExtensionDib.PathInPackage).Open());
        dib.Write(extensionDib);
    }
}
