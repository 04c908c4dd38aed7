using System.Text.Json.Nodes;
using Theon.Interactive;
using Theon.Kernel.Engine;

namespace Theon.Kernel.Runner;

/// <summary>
/// The notebook host of <c>theon run</c>: echoes a cell's output to the terminal as text and keeps it as nbformat
/// outputs for <c>--output</c>.
/// </summary>
internal sealed class CellRecorder(TextWriter terminalOut, TextWriter terminalError, bool isTerminal)
    : INotebookHost, IOutputSink
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, JsonObject> displays = [];
    private JsonArray outputs = [];
    private int displayCount;

    public bool IsTerminal => isTerminal;

    /// <summary>Starts a new cell's output list.</summary>
    public JsonArray Begin()
    {
        lock (gate) outputs = [];
        return outputs;
    }

    public void Write(string stream, string text)
    {
        lock (gate)
        {
            (stream == "stderr" ? terminalError : terminalOut).Write(text);
            if (outputs.LastOrDefault() is JsonObject last && last["output_type"]?.GetValue<string>() == "stream"
                && last["name"]?.GetValue<string>() == stream)
                last["text"] = last["text"]!.GetValue<string>() + text;
            else
                outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = stream, ["text"] = text });
        }
    }

    public DisplayHandle Display(object? value, string? mimeType = null)
    {
        var id = $"display-{Interlocked.Increment(ref displayCount)}";
        var data = MimeBundle.For(value, mimeType);
        lock (gate)
        {
            Echo(data);
            var output = new JsonObject
            {
                ["output_type"] = "display_data", ["data"] = Bundle(data), ["metadata"] = new JsonObject(),
                ["transient"] = new JsonObject { ["display_id"] = id },
            };
            displays[id] = output;
            outputs.Add(output);
        }
        return new DisplayHandle(this, id, mimeType);
    }

    public void Update(DisplayHandle handle, object? value, string? mimeType = null)
    {
        var data = MimeBundle.For(value, mimeType);
        lock (gate)
        {
            Echo(data);
            if (displays.TryGetValue(handle.DisplayId, out var output)) output["data"] = Bundle(data);
        }
    }

    public void Result(int executionCount, object value)
    {
        var data = MimeBundle.For(value);
        lock (gate)
        {
            Echo(data);
            outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = Bundle(data),
                ["metadata"] = new JsonObject(),
            });
        }
    }

    public void Error(CellError error)
    {
        lock (gate)
            outputs.Add(new JsonObject
            {
                ["output_type"] = "error", ["ename"] = error.Name, ["evalue"] = error.Message,
                ["traceback"] = new JsonArray([.. error.Traceback.Select(l => JsonValue.Create(l))]),
            });
    }

    public void ClearOutput(bool wait)
    {
        lock (gate) outputs.Clear();
    }

    /// <summary>nbformat keeps no transient fields: drops them once the notebook is complete.</summary>
    public static void StripTransient(JsonArray cellOutputs)
    {
        foreach (var output in cellOutputs.OfType<JsonObject>()) output.Remove("transient");
    }

    private void Echo(Dictionary<string, string> data) => terminalOut.WriteLine(data[MimeBundle.PlainText]);

    private static JsonObject Bundle(Dictionary<string, string> data) =>
        new(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
}
