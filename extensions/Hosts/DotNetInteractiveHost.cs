using System.Collections.Concurrent;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Interactive;

/// <summary>
/// The notebook host inside official .NET Interactive (Polyglot Notebooks, <c>dotnet interactive jupyter</c>):
/// values go out through the running submission's <see cref="KernelInvocationContext"/>, and updates through the
/// <see cref="DisplayedValue"/> it returned, so <c>display</c> and its <c>Update</c> are .NET Interactive's own.
/// </summary>
internal sealed class DotNetInteractiveHost : INotebookHost
{
    private readonly ConcurrentDictionary<string, DisplayedValue> shown = new();

    // The submission whose completion handlers are running: there KernelInvocationContext.Current no longer
    // routes updates to the front end, so they are published on this context directly.
    [ThreadStatic]
    private static KernelInvocationContext? completing;

    public bool IsTerminal => false;

    public DisplayHandle Display(object? value, string? mimeType = null)
    {
        var context = KernelInvocationContext.Current ?? throw new InvalidOperationException(
            "display(...) was called outside a running .NET Interactive submission.");
        var displayed = mimeType is null ? context.Display(value!) : context.Display(value!, mimeType);
        shown[displayed.DisplayId] = displayed;
        return new DisplayHandle(this, displayed.DisplayId, mimeType);
    }

    public void Update(DisplayHandle handle, object? value, string? mimeType = null)
    {
        if (!shown.TryGetValue(handle.DisplayId, out var displayed))
            throw new ArgumentException($"Display '{handle.DisplayId}' was not shown through .NET Interactive.",
                nameof(handle));
        if (completing is { } context)
        {
            string[] mimeTypes = mimeType is null
                ? [.. Formatter.GetPreferredMimeTypesFor(value?.GetType())]
                : [mimeType];
            context.Publish(new DisplayedValueUpdated(value, handle.DisplayId, context.Command,
                FormattedValue.CreateManyFromObject(value!, mimeTypes)));
            return;
        }
        displayed.Update(value!);
    }

    /// <summary>
    /// .NET Interactive drops updates published after a submission completes, so pending ones go first.
    /// </summary>
    public void WhenCellEnds(Action action) => KernelInvocationContext.Current?.OnComplete(context =>
    {
        completing = context;
        try
        {
            action();
        }
        finally
        {
            completing = null;
        }
    });
}
