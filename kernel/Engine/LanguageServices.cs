using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace Theon.Kernel.Engine;

/// <summary>A completion reply: the matches and the span of the cell they replace.</summary>
public sealed record Completions(IReadOnlyList<string> Matches, int Start, int End);

/// <summary>
/// Completion, inspection and is_complete through Roslyn's workspace. Earlier cells that compiled are replayed into
/// one script document (their usings hoisted to the top) so that their variables and types complete too.
/// </summary>
public sealed partial class LanguageServices(ScriptEngine engine)
{
    private static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Preview, DocumentationMode.Parse, SourceCodeKind.Script);

    private static readonly Lazy<MefHostServices> Host =
        new(() => MefHostServices.Create(MefHostServices.DefaultAssemblies));

    /// <summary>"complete" or "incomplete": unbalanced braces, parentheses or an unfinished statement.</summary>
    public static bool IsComplete(string code) =>
        SyntaxFactory.IsCompleteSubmission(CSharpSyntaxTree.ParseText(code, ParseOptions));

    /// <summary>Loads the workspace machinery ahead of the first request.</summary>
    public static void WarmUp() => _ = Host.Value;

    public async Task<Completions> CompleteAsync(string code, int cursor)
    {
        var (document, offset) = Document(code);
        var service = CompletionService.GetService(document)
            ?? throw new InvalidOperationException("Roslyn's C# completion service is not available");
        var list = await service.GetCompletionsAsync(document, offset + cursor).ConfigureAwait(false);
        if (list is null) return new Completions([], cursor, cursor);
        var start = Math.Clamp(list.Span.Start - offset, 0, cursor);
        var prefix = code[start..cursor];
        var matches = list.ItemsList
            .Where(i => i.FilterText.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => !i.FilterText.StartsWith(prefix, StringComparison.Ordinal))
            .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
            .Select(i => i.DisplayTextPrefix + i.DisplayText + i.DisplayTextSuffix)
            .Distinct().ToList();
        return new Completions(matches, start, cursor);
    }

    /// <summary>The signatures and documentation summary of the symbol at <paramref name="cursor"/>, or null.</summary>
    public async Task<string?> InspectAsync(string code, int cursor)
    {
        var (document, offset) = Document(code);
        var model = await document.GetSemanticModelAsync().ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync().ConfigureAwait(false);
        if (model is null || root is null) return null;
        var position = offset + Math.Clamp(cursor, 0, code.Length);
        var token = root.FindToken(position);
        if (!token.IsKind(SyntaxKind.IdentifierToken) && position > 0) token = root.FindToken(position - 1);
        var node = token.Parent;
        if (node is null) return null;
        var symbols = Symbols(model, node);
        if (symbols.Count == 0) return null;
        var text = new StringBuilder();
        foreach (var symbol in symbols)
            text.AppendLine(symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
        var summary = Summary(symbols[0]);
        if (summary is not null) text.AppendLine().AppendLine(summary);
        return text.ToString().TrimEnd();
    }

    private static List<ISymbol> Symbols(SemanticModel model, SyntaxNode node)
    {
        for (var current = node; current is not null and not StatementSyntax; current = current.Parent)
        {
            var info = model.GetSymbolInfo(current);
            if (info.Symbol is { } symbol) return [symbol];
            if (info.CandidateSymbols.Length > 0) return [.. info.CandidateSymbols];
            if (model.GetDeclaredSymbol(current) is { } declared) return [declared];
            if (current is IdentifierNameSyntax or GenericNameSyntax) continue;
            break;
        }
        return [];
    }

    private static string? Summary(ISymbol symbol)
    {
        var documented = symbol is IMethodSymbol { ReducedFrom: { } original } ? original : symbol;
        var xml = documented.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            var parts = summary.DescendantNodes().Select(node => node switch
            {
                XText text => text.Value,
                XElement { HasElements: false, IsEmpty: true } reference =>
                    ((string?)reference.Attribute("cref"))?.Split(':').Last()
                    ?? (string?)reference.Attribute("name") ?? (string?)reference.Attribute("langword") ?? "",
                _ => "",
            });
            return Whitespace().Replace(string.Concat(parts), " ").Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private (Document Document, int Offset) Document(string code)
    {
        var prefix = new StringBuilder();
        foreach (var u in ScriptEngine.DefaultUsings) prefix.Append("using ").Append(u).Append(";\n");
        var bodies = new StringBuilder();
        foreach (var cell in engine.Cells)
        {
            var (usings, body) = Split(cell);
            prefix.Append(usings);
            bodies.Append(body).Append(";\n");
        }
        var text = prefix.Append(bodies).ToString();
        var workspace = new AdhocWorkspace(Host.Value);
        var references = engine.CurrentCompilation.References;
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default,
            "cells", "cells", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: ParseOptions, metadataReferences: references));
        var document = workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "cell.csx",
            sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text + code), VersionStamp.Default))));
        return (document, text.Length);
    }

    /// <summary>A cell's using directives, and its code with them and its #r/#load lines blanked.</summary>
    private static (string Usings, string Body) Split(string cell)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(cell, ParseOptions).GetRoot();
        var body = new StringBuilder(cell);
        var usings = new StringBuilder();
        foreach (var directive in root.Usings)
        {
            usings.Append(directive.ToString()).Append('\n');
            Blank(body, directive.Span);
        }
        foreach (var directive in root.GetReferenceDirectives().Cast<SyntaxNode>().Concat(root.GetLoadDirectives()))
            Blank(body, directive.Span);
        return (usings.ToString(), body.ToString());
    }

    private static void Blank(StringBuilder text, TextSpan span)
    {
        for (var i = span.Start; i < span.End; i++)
            if (text[i] != '\n') text[i] = ' ';
    }
}
