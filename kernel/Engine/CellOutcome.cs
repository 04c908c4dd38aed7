namespace Theon.Kernel.Engine;

/// <summary>What running one cell produced.</summary>
/// <param name="Value">The trailing expression's value; null when there was none or it was null.</param>
/// <param name="Error">Set when the cell did not compile, threw, or was interrupted.</param>
public sealed record CellOutcome(object? Value, CellError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>A failed cell, shaped like Jupyter's error message.</summary>
/// <param name="Name">Jupyter's ename: the exception type, "CompilationError" or "KeyboardInterrupt".</param>
/// <param name="Message">Jupyter's evalue.</param>
/// <param name="Traceback">Lines a person reads, the first naming the error.</param>
/// <param name="Line">The 1-based line in the cell where it happened, when known.</param>
public sealed record CellError(string Name, string Message, IReadOnlyList<string> Traceback, int? Line)
{
    public Exception? Exception { get; init; }
}
