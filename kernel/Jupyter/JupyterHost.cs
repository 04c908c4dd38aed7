using System.Text;
using System.Text.Json.Nodes;
using Theon.Interactive;
using Theon.Kernel.Engine;

namespace Theon.Kernel.Jupyter;

/// <summary>
/// Where a cell's output goes under Jupyter: streams batched into <c>stream</c> messages (stdout and stderr kept in
/// order), <c>display(...)</c> as display_data / update_display_data, all parented to the running request.
/// </summary>
internal sealed class JupyterHost : INotebookHost, IOutputSink, IDisposable
{
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private readonly Iopub iopub;
    private readonly Lock gate = new();
    private readonly StringBuilder pending = new();
    private readonly Timer timer;
    private string pendingStream = "stdout";
    private bool flushScheduled;
    private int displays;

    public JupyterHost(Iopub iopub)
    {
        this.iopub = iopub;
        timer = new Timer(_ => Flush());
    }

    /// <summary>The request whose cell runs now; output is parented to it. Null silences output.</summary>
    public Message? Parent { get; set; }

    public bool Silent { get; set; }

    public bool IsTerminal => false;

    public void Write(string stream, string text)
    {
        lock (gate)
        {
            if (stream != pendingStream) FlushLocked();
            pendingStream = stream;
            pending.Append(text);
            if (flushScheduled) return;
            flushScheduled = true;
            timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Flush()
    {
        lock (gate) FlushLocked();
    }

    public DisplayHandle Display(object? value, string? mimeType = null)
    {
        var id = $"{Guid.NewGuid():N}-{Interlocked.Increment(ref displays)}";
        Send("display_data", value, mimeType, id);
        return new DisplayHandle(this, id, mimeType);
    }

    public void Update(DisplayHandle handle, object? value, string? mimeType = null) =>
        Send("update_display_data", value, mimeType, handle.DisplayId);

    public void ClearOutput(bool wait)
    {
        Flush();
        if (!Silent) iopub.Publish("clear_output", new JsonObject { ["wait"] = wait }, Parent);
    }

    public void Result(int executionCount, object value)
    {
        Flush();
        if (Silent) return;
        iopub.Publish("execute_result", new JsonObject
        {
            ["execution_count"] = executionCount,
            ["data"] = Bundle(MimeBundle.For(value)),
            ["metadata"] = new JsonObject(),
        }, Parent);
    }

    public void Dispose() => timer.Dispose();

    public static JsonObject Bundle(Dictionary<string, string> data) =>
        new(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    private void Send(string type, object? value, string? mimeType, string displayId)
    {
        Flush();
        if (Silent) return;
        iopub.Publish(type, new JsonObject
        {
            ["data"] = Bundle(MimeBundle.For(value, mimeType)), ["metadata"] = new JsonObject(),
            ["transient"] = new JsonObject { ["display_id"] = displayId },
        }, Parent);
    }

    private void FlushLocked()
    {
        flushScheduled = false;
        if (pending.Length == 0) return;
        var text = pending.ToString();
        pending.Clear();
        if (!Silent) iopub.Publish("stream", new JsonObject { ["name"] = pendingStream, ["text"] = text }, Parent);
    }
}
