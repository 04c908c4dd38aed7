using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Engine;

/// <summary>Turns diagnostics and exceptions into <see cref="CellError"/>s naming the line in the cell.</summary>
internal static partial class ErrorReport
{
    public static CellError FromCompilation(CompilationErrorException error)
    {
        var errors = error.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var lines = errors.Select(Describe).ToList();
        var first = errors.FirstOrDefault()?.Location.GetMappedLineSpan();
        int? line = first is { IsValid: true } span ? span.StartLinePosition.Line + 1 : null;
        return new CellError("CompilationError", string.Join(Environment.NewLine, lines), lines, line)
        {
            Exception = error,
        };
    }

    public static CellError FromException(Exception exception, string cellPath)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate
            ? aggregate.InnerExceptions[0]
            : exception;
        if (error is KeyboardInterruptException || error is OperationCanceledException && Interruption.IsRequested)
            return new CellError("KeyboardInterrupt", "", ["KeyboardInterrupt: the cell was interrupted"], null)
            {
                Exception = error,
            };
        var frames = new StackTrace(error, fNeedFileInfo: true).GetFrames();
        var traceback = new List<string> { $"{error.GetType().FullName}: {error.Message}" };
        int? line = null;
        foreach (var frame in frames)
        {
            var described = DescribeFrame(frame, cellPath, ref line);
            if (described is not null) traceback.Add(described);
        }
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        return new CellError(error.GetType().Name, error.Message, traceback, line) { Exception = error };
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var where = span.IsValid ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "";
        return $"{where}: error {diagnostic.Id}: {diagnostic.GetMessage()}";
    }

    private static string? DescribeFrame(StackFrame frame, string cellPath, ref int? line)
    {
        var method = frame.GetMethod();
        var type = method?.DeclaringType;
        var file = frame.GetFileName();
        if (file is not null && frame.GetFileLineNumber() > 0 && IsCell(file))
        {
            if (Path.GetFileName(file) == Path.GetFileName(cellPath)) line ??= frame.GetFileLineNumber();
            if (CellName().IsMatch(Path.GetFileName(file))) file = Path.GetFileName(file);
            var generated = type is null || type.Name.Contains('<') || type.Name.Contains('#');
            var member = generated ? "" : $" in {type!.Name}";
            return $"   at {file}, line {frame.GetFileLineNumber()}{member}";
        }
        if (type is null || method is null) return null;
        var ns = type.Namespace ?? "";
        if (ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || ns.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal)
            || ns.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal)
            || ns.StartsWith("System.Threading.Tasks", StringComparison.Ordinal)
            || ns.StartsWith("Theon.Kernel", StringComparison.Ordinal)
            || type.Name.StartsWith("Submission#", StringComparison.Ordinal)) return null;
        return $"   at {type.FullName}.{method.Name}";
    }

    private static bool IsCell(string file) => CellName().IsMatch(Path.GetFileName(file))
        || file.EndsWith(".csx", StringComparison.OrdinalIgnoreCase)
        || file.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^cell[0-9]+$")]
    private static partial Regex CellName();
}
