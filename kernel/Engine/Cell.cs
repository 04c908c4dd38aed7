namespace Theon.Kernel.Runtime;

/// <summary>Kernel functions a cell calls directly (imported with <c>using static</c>).</summary>
public static class Cell
{
    /// <summary>Set by the front end: clears the cell's output area (Jupyter's <c>clear_output</c>).</summary>
    internal static Action<bool>? ClearOutputHandler { get; set; }

    /// <summary>Clears this cell's output; with <paramref name="wait"/> it waits for the next output.</summary>
    public static void clear_output(bool wait = false)
    {
        Console.Out.Flush();
        ClearOutputHandler?.Invoke(wait);
    }
}
