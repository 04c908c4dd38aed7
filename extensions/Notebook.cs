namespace Theon.Interactive;

/// <summary>
/// Where notebook output goes. The hosting kernel sets <see cref="Notebook.Host"/>: Theon's kernel sets its own,
/// and the extension's <c>extension.dib</c> sets an adapter over .NET Interactive when loaded there.
/// </summary>
public interface INotebookHost
{
    /// <summary>
    /// Shows a value (rendered through the Formatting registry) and returns a handle that can replace it.
    /// </summary>
    DisplayHandle Display(object? value, string? mimeType = null);

    /// <summary>Replaces what an earlier <see cref="Display"/> showed.</summary>
    void Update(DisplayHandle handle, object? value, string? mimeType = null);

    /// <summary>True under <c>theon run</c> in a terminal, where rich output is shown as text.</summary>
    bool IsTerminal { get; }

    /// <summary>
    /// Runs <paramref name="action"/> when the running cell ends, while its outputs can still be updated. Hosts
    /// that drop updates after a cell ends (.NET Interactive) must implement it; by default it does nothing, for
    /// hosts that accept late updates.
    /// </summary>
    void WhenCellEnds(Action action)
    {
    }
}

/// <summary>A shown value that can be redrawn in place (Jupyter's <c>display_id</c>).</summary>
public sealed class DisplayHandle(INotebookHost host, string displayId, string? mimeType)
{
    public string DisplayId { get; } = displayId;

    public void Update(object? value) => host.Update(this, value, mimeType);
}

/// <summary>The notebook functions a cell calls: <c>using static Theon.Interactive.Notebook;</c>.</summary>
public static partial class Notebook
{
    public static INotebookHost? Host { get; set; }

    /// <summary>Shows a value in the notebook and returns a handle whose <c>Update</c> redraws it in place.</summary>
    public static DisplayHandle display(object? value, string? mimeType = null) =>
        (Host ?? throw new InvalidOperationException(NoHost("display(...)"))).Display(value, mimeType);

    /// <summary>
    /// Iterates <paramref name="source"/> behind a progress bar with rate and ETA: a display updated in place in a
    /// notebook, a Spectre.Console bar in a terminal. The total comes from <paramref name="total"/> or the source's
    /// count when it has one without enumerating.
    /// </summary>
    public static IEnumerable<T> progress<T>(IEnumerable<T> source, string description = "", int? total = null) =>
        ProgressLoop.Start(source, description, total, Host, TimeProvider.System);

    internal static string NoHost(string what) =>
        $"{what} needs a notebook host: run the cell in Theon's kernel, `theon run`, or .NET Interactive with "
        + "Theon.Interactive loaded.";

    /// <summary>The walkthroughs' assertion: throws with the message when the condition is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition) throw new CheckFailedException(message);
    }
}

/// <summary>A <see cref="Notebook.Check"/> that did not hold.</summary>
public sealed class CheckFailedException(string message) : Exception($"Check failed: {message}");
