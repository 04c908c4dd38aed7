using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Theon.Interactive.Tests;

/// <summary>
/// Cells compile with Theon's usings alone (Theon's kernel) and next to .NET Interactive's own
/// <c>using static Microsoft.DotNet.Interactive.Kernel;</c> (what extension.dib adds there), without ambiguity.
/// </summary>
public class CellUsingsTests
{
    private const string TheonUsings = """
        using Theon;
        using static Theon.T;
        using Theon.Interactive;
        using static Theon.Interactive.Notebook;

        """;

    private const string Cell = """
        var shown = display(Plot.Cost(new double[] { 1, 0.5 }, title: "cost"));
        shown.Update(Plot.Cost(new double[] { 1, 0.5, 0.25 }, title: "cost"));
        var live = Plot.Live(title: "validation error (%)");
        foreach (var epoch in progress(System.Linq.Enumerable.Range(1, 3), "epochs")) live.Add(epoch, 1.0 / epoch);
        var x = dscalar("x");
        display(x * x);
        Check(true, "compiles");
        """;

    private static (ImmutableArray<Diagnostic> Errors, IMethodSymbol? Display) Compile(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        string[] ours =
        [
            typeof(T).Assembly.Location, typeof(Notebook).Assembly.Location,
            typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location,
            typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location,
        ];
        var compilation = CSharpCompilation.CreateScriptCompilation("cell", tree,
            platform.Concat(ours).Distinct().Select(p => MetadataReference.CreateFromFile(p)));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var firstDisplay = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .First(i => i.Expression.ToString() == "display");
        var symbol = compilation.GetSemanticModel(tree).GetSymbolInfo(firstDisplay).Symbol as IMethodSymbol;
        return (errors, symbol);
    }

    [Fact]
    public void A_cell_compiles_in_theons_kernel()
    {
        var (errors, display) = Compile(TheonUsings + Cell);
        Assert.Empty(errors);
        Assert.Equal("Theon.Interactive.Notebook", display!.ContainingType.ToDisplayString());
    }

    [Fact]
    public void A_cell_compiles_next_to_dotnet_interactives_display()
    {
        var (errors, display) = Compile("using static Microsoft.DotNet.Interactive.Kernel;\n" + TheonUsings + Cell);
        Assert.Empty(errors);
        Assert.Equal("Theon.Interactive.Notebook", display!.ContainingType.ToDisplayString());
    }
}
