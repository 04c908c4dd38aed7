using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Theon.Kernel.Engine;

/// <summary>
/// Makes a cell interruptible by construction: a check at every loop back-edge and method entry, and
/// <c>Thread.Sleep</c> / <c>Task.Delay</c> routed through <see cref="Runtime.Interruption"/>. Inserted code carries
/// no line breaks, so diagnostics and stack traces keep the cell's own line numbers.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private const string RuntimeType = "global::Theon.Kernel.Runtime.Interruption";

    private static readonly StatementSyntax CheckStatement = SyntaxFactory.ParseStatement($"{RuntimeType}.Check();");

    public static string Rewrite(SyntaxTree tree)
    {
        var root = tree.GetRoot();
        return root.ContainsDiagnostics ? root.ToFullString() : new InterruptRewriter().Visit(root).ToFullString();
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var block = (BlockSyntax)base.VisitBlock(node)!;
        return IsBodyOfCallable(node) ? Prepend(block) : block;
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
        if (visited.Expression is not MemberAccessExpressionSyntax access) return visited;
        var target = access.Expression.ToString().Replace(" ", "");
        var method = access.Name.Identifier.Text;
        var redirect = (method, target) switch
        {
            ("Sleep", "Thread" or "System.Threading.Thread" or "global::System.Threading.Thread") => true,
            ("Delay", "Task" or "System.Threading.Tasks.Task" or "global::System.Threading.Tasks.Task") => true,
            _ => false,
        };
        if (!redirect) return visited;
        var replacement = SyntaxFactory.ParseExpression($"{RuntimeType}.{method}").WithTriviaFrom(access);
        return visited.WithExpression(replacement);
    }

    private static bool IsBodyOfCallable(BlockSyntax block) => block.Parent is BaseMethodDeclarationSyntax
        or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;

    private static BlockSyntax Prepend(BlockSyntax block) =>
        block.WithStatements(block.Statements.Insert(0, CheckStatement));

    private static StatementSyntax Guard(StatementSyntax body) => body is BlockSyntax block
        ? Prepend(block)
        : SyntaxFactory.Block(CheckStatement, body.WithoutLeadingTrivia()).WithLeadingTrivia(body.GetLeadingTrivia());
}
