using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Theon.Kernel.Engine;

/// <summary>
/// The using directives in effect in the session. A cell that repeats one (walkthroughs start with
/// <c>using static Theon.T;</c>) has the repeat blanked before compiling: after a <c>#r</c> has changed the
/// references, Roslyn binds a repeated <c>using static</c> to a second copy of the type and reports its members as
/// ambiguous (CS0121). Repeating an import changes nothing, so dropping it is safe.
/// </summary>
internal sealed class ImportedUsings
{
    private readonly HashSet<string> known;

    public ImportedUsings(IEnumerable<string> defaults) => known = [.. defaults.Select(Normalize)];

    public bool IsKnown(UsingDirectiveSyntax directive) => known.Contains(Key(directive));

    public void Add(CompilationUnitSyntax cell)
    {
        foreach (var directive in cell.Usings) known.Add(Key(directive));
    }

    private static string Key(UsingDirectiveSyntax directive) =>
        Normalize(directive.ToString().Trim()["using".Length..].TrimEnd(';'));

    private static string Normalize(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
