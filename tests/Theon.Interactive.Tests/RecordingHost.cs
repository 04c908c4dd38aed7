using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Interactive.Tests;

/// <summary>
/// A notebook host that keeps what it was asked to show, formatted as HTML at the time, like a kernel would.
/// </summary>
internal sealed class RecordingHost(bool isTerminal = false) : INotebookHost
{
    private int nextId;

    public List<(string DisplayId, object? Value, string Html)> Displays { get; } = [];

    public List<(string DisplayId, object? Value, string Html)> Updates { get; } = [];

    public bool IsTerminal { get; } = isTerminal;

    public List<Action> AtCellEnd { get; } = [];

    public void WhenCellEnds(Action action) => AtCellEnd.Add(action);

    /// <summary>What a kernel does when the running cell finishes.</summary>
    public void EndCell()
    {
        var actions = AtCellEnd.ToArray();
        AtCellEnd.Clear();
        foreach (var action in actions) action();
    }

    public DisplayHandle Display(object? value, string? mimeType = null)
    {
        var id = $"display-{nextId++}";
        Displays.Add((id, value, Format(value)));
        return new DisplayHandle(this, id, mimeType);
    }

    public void Update(DisplayHandle handle, object? value, string? mimeType = null) =>
        Updates.Add((handle.DisplayId, value, Format(value)));

    private string Format(object? value) =>
        IsTerminal ? value?.ToString() ?? "" : value.ToDisplayString(HtmlFormatter.MimeType);
}
