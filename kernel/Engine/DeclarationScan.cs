using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Theon.Kernel.Engine;

/// <summary>
/// Whether a cell can add anything to the session's scope: variables, functions, types, usings, references.
/// Conservative: any variable designation anywhere counts, since top-level <c>out var</c> and patterns become fields.
/// </summary>
internal static class DeclarationScan
{
    public static bool Declares(SyntaxTree tree)
    {
        var root = (CompilationUnitSyntax)tree.GetRoot();
        if (root.Usings.Count > 0 || root.Externs.Count > 0 || root.AttributeLists.Count > 0) return true;
        if (root.GetReferenceDirectives().Count > 0 || root.GetLoadDirectives().Count > 0) return true;
        if (root.Members.Any(m => m is not GlobalStatementSyntax
            { Statement: not (LocalDeclarationStatementSyntax or LocalFunctionStatementSyntax) })) return true;
        return root.DescendantNodes().Any(n => n is VariableDesignationSyntax or DeclarationExpressionSyntax);
    }
}
