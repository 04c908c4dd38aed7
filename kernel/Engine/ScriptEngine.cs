using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;
using Theon.Interactive;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Engine;

/// <summary>
/// The one execution engine behind every front end: Roslyn C# scripting, each cell a submission that continues the
/// state of the previous one. Not thread-safe: one cell runs at a time.
/// </summary>
public sealed class ScriptEngine
{
    public static readonly IReadOnlyList<string> DefaultUsings =
    [
        "System", "System.IO", "System.Linq", "System.Text", "System.Threading", "System.Threading.Tasks",
        "System.Collections.Generic", "Theon", "static Theon.T", "Theon.Interactive",
        "static Theon.Interactive.Notebook", "static Theon.Kernel.Runtime.Cell",
    ];

    private static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Script);

    private readonly Task<(ScriptOptions Options, ScriptState<object?> State)> start;
    private readonly List<string> cells = [];
    private readonly HashSet<string> loadedExtensions = [];
    private readonly HashSet<MetadataReference> projectBuilt = [];
    private readonly BranchCache branches = new();
    private readonly ImportedUsings usings = new(DefaultUsings);
    private readonly NuGetRestorer restorer;
    private readonly ProjectBuilder projects;
    private readonly InteractiveAssemblyLoader loader = new();
    private ScriptState<object?>? state;
    private ScriptOptions? options;
    private int submissions;

    /// <summary>Starts loading Roslyn and the default references in the background; the first cell waits.</summary>
    public ScriptEngine(string? workingDirectory = null)
    {
        OutputRouter.Install();
        var baseDirectory = workingDirectory ?? Environment.CurrentDirectory;
        restorer = new NuGetRestorer(baseDirectory);
        projects = new ProjectBuilder(baseDirectory);
        start = Task.Run(async () =>
        {
            var scriptOptions = ScriptOptions.Default
                .WithReferences(DefaultReferences.Load())
                .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
                .WithSourceResolver(new SourceFileResolver([], baseDirectory))
                .WithEmitDebugInformation(true)
                .WithFileEncoding(System.Text.Encoding.UTF8)
                .WithLanguageVersion(LanguageVersion.Preview)
                .WithAllowUnsafe(true);
            var usings = string.Join("\n", DefaultUsings.Select(u => $"using {u};"));
            var prelude = await CSharpScript.Create<object?>(usings, scriptOptions.WithFilePath("prelude"),
                assemblyLoader: loader).RunAsync().ConfigureAwait(false);
            return (scriptOptions, prelude);
        });
    }

    /// <summary>The code of every cell that compiled, in order: what completion and inspection see.</summary>
    public IReadOnlyList<string> Cells => cells;

    /// <summary>The compilation of the latest submission: its references include every <c>#r</c> so far.</summary>
    public Compilation CurrentCompilation => CurrentState.Script.GetCompilation();

    private ScriptState<object?> CurrentState => state ??= start.GetAwaiter().GetResult().State;

    private ScriptOptions Options => options ??= start.GetAwaiter().GetResult().Options;

    /// <summary>Compiles and runs one cell; <paramref name="cellPath"/> names it in diagnostics and traces.</summary>
    public CellOutcome Execute(string code, string? cellPath = null)
    {
        // Before the first cell waits for Roslyn to load: an interrupt during that wait is this cell's.
        Interruption.Reset();
        var path = cellPath ?? $"cell{submissions + 1}";
        submissions++;
        var cell = CellDirectives.Parse(code);
        var timer = cell.Timed ? Stopwatch.StartNew() : null;
        var outcome = Run(cell.Code, path);
        if (timer is not null) Console.Out.Write($"Wall time: {timer.Elapsed.TotalMilliseconds:0.###} ms\n");
        if (cell.Whos) ShowVariables();
        return outcome;
    }

    /// <summary>The session's variables as <c>#!whos</c> shows them: those of the head state.</summary>
    public VariableTable Variables() => VariableTable.Of(CurrentState);

    private void ShowVariables()
    {
        var table = Variables();
        if (Notebook.Host is { } host) host.Display(table);
        else Console.Out.Write(table.ToText() + "\n");
    }

    /// <summary>Evaluates an expression in the current state (Jupyter's user_expressions).</summary>
    public CellOutcome Evaluate(string expression)
    {
        Interruption.Reset();
        return Run(expression, $"expression{++submissions}", remember: false);
    }

    private CellOutcome Run(string code, string path, bool remember = true)
    {
        var current = CurrentState;
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        var declares = DeclarationScan.Declares(tree);
        List<RestoredPackage> packages;
        try
        {
            packages = RestorePackages(tree);
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException)
        {
            return new CellOutcome(null, new CellError("NuGetRestoreError", error.Message, [error.Message], null));
        }
        catch (ProjectBuildException error)
        {
            return new CellOutcome(null, new CellError("ProjectBuildError", error.Message, [error.Message], null));
        }
        catch (KeyboardInterruptException error)
        {
            return new CellOutcome(null, ErrorReport.FromException(error, path));
        }
        tree = WithoutRepeatsAndPackages(tree);
        var rewritten = InterruptRewriter.Rewrite(tree);
        var script = declares ? null : branches.Find(rewritten);
        if (script is not null) path = script.Options.FilePath;
        script ??= current.Script.ContinueWith<object?>(rewritten, Options.WithFilePath(path));
        ScriptState<object?> next;
        try
        {
            next = script.RunFromAsync(current, _ => true, Interruption.Token).GetAwaiter().GetResult();
        }
        catch (CompilationErrorException error)
        {
            return new CellOutcome(null, ErrorReport.FromCompilation(error));
        }
        catch (Exception error)
        {
            return new CellOutcome(null, ErrorReport.FromException(error, path));
        }
        // A cell that declares nothing runs as a branch off the session's head and is then dropped, so its
        // compilation can be collected: Roslyn keeps every submission of the chain alive (see docs on memory).
        if (declares)
        {
            state = next;
            usings.Add((CompilationUnitSyntax)tree.GetRoot());
            branches.Clear();
            if (remember) cells.Add(code);
        }
        else
        {
            branches.Remember(rewritten, script);
        }
        if (next.Exception is { } thrown) return new CellOutcome(null, ErrorReport.FromException(thrown, path));
        return RunExtensions(packages) ?? new CellOutcome(next.ReturnValue, null);
    }

    /// <summary>
    /// Restores the packages of the cell's <c>#r "nuget: ..."</c> directives and builds its <c>#r "X.csproj"</c>
    /// projects, and adds their assemblies to the session's references (Roslyn allows one reference per <c>#r</c>; a
    /// package or a project brings its whole closure).
    /// Assemblies the kernel already references (Theon, the formatting library, ...) keep the kernel's copy.
    /// </summary>
    private List<RestoredPackage> RestorePackages(SyntaxTree tree)
    {
        var packages = new List<RestoredPackage>();
        foreach (var directive in ((CompilationUnitSyntax)tree.GetRoot()).GetReferenceDirectives())
        {
            var reference = directive.File.ValueText;
            if (ProjectBuilder.IsProject(reference))
            {
                var added = AddAssemblies(projects.Build(reference), replacing: true);
                foreach (var assembly in ProjectBuilder.Load(added)) loader.RegisterDependency(assembly);
                continue;
            }
            if (!NuGetRestorer.IsNuGet(reference)) continue;
            var (name, version) = NuGetRestorer.ParseDirective(reference);
            var package = restorer.Restore(name, version);
            AddAssemblies(package.Assemblies, replacing: false);
            packages.Add(package);
        }
        return packages;
    }

    /// <summary>
    /// Adds assemblies the kernel does not reference already and returns their paths; with
    /// <paramref name="replacing"/> (a project's new build) an earlier build's copy of the same name is dropped from
    /// the references of the cells to come.
    /// </summary>
    private List<string> AddAssemblies(IEnumerable<string> assemblies, bool replacing)
    {
        var names = assemblies.ToDictionary(a => Path.GetFileNameWithoutExtension(a), StringComparer.OrdinalIgnoreCase);
        var kept = Options.MetadataReferences.Where(r => !replacing || !projectBuilt.Contains(r)
            || r is not PortableExecutableReference { FilePath: { } file }
            || !names.ContainsKey(Path.GetFileNameWithoutExtension(file))).ToList();
        var known = kept.OfType<PortableExecutableReference>()
            .Select(r => Path.GetFileNameWithoutExtension(r.FilePath)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var paths = names.Where(n => !known.Contains(n.Key)).Select(n => n.Value).ToList();
        var added = paths.Select(p => MetadataReference.CreateFromFile(p)).ToList();
        if (replacing) projectBuilt.UnionWith(added);
        options = Options.WithReferences(kept.Concat(added));
        return paths;
    }

    /// <summary>
    /// The cell with its nuget and project directives (their assemblies are referenced already) and repeated usings
    /// blanked, line numbers unchanged.
    /// </summary>
    private SyntaxTree WithoutRepeatsAndPackages(SyntaxTree tree)
    {
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var spans = root.GetReferenceDirectives()
            .Where(d => NuGetRestorer.IsNuGet(d.File.ValueText) || ProjectBuilder.IsProject(d.File.ValueText))
            .Select(d => d.Span)
            .Concat(root.Usings.Where(usings.IsKnown).Select(u => u.Span)).ToList();
        if (spans.Count == 0) return tree;
        var text = new System.Text.StringBuilder(tree.GetText().ToString());
        foreach (var span in spans)
            for (var i = span.Start; i < span.End; i++)
                if (text[i] != '\n') text[i] = ' ';
        return CSharpSyntaxTree.ParseText(text.ToString(), ParseOptions);
    }

    private CellOutcome? RunExtensions(List<RestoredPackage> packages)
    {
        foreach (var dib in packages.SelectMany(p => p.Extensions).Where(loadedExtensions.Add))
        {
            foreach (var extension in ExtensionDib.CSharpCells(File.ReadAllText(dib)))
            {
                var outcome = Run(extension, dib, remember: false);
                if (!outcome.Succeeded) return outcome;
            }
        }
        return null;
    }
}
