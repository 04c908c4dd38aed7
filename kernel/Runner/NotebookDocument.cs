using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theon.Kernel.Runner;

/// <summary>An .ipynb (nbformat 4) read as JSON, so that cells and metadata we do not know survive.</summary>
internal sealed class NotebookDocument
{
    private readonly JsonObject root;

    private NotebookDocument(JsonObject root) => this.root = root;

    public IEnumerable<JsonObject> CodeCells => Cells.Where(c => c["cell_type"]?.GetValue<string>() == "code");

    private IEnumerable<JsonObject> Cells => root["cells"]!.AsArray().OfType<JsonObject>();

    public static NotebookDocument Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: not a notebook: invalid JSON ({error.Message})");
        }
        if (node is not JsonObject obj || obj["cells"] is not JsonArray)
            throw new InvalidDataException($"{path}: not a notebook: expected a JSON object with a \"cells\" array");
        var major = obj["nbformat"]?.GetValue<int>() ?? 0;
        if (major != 4) throw new InvalidDataException($"{path}: expected nbformat 4, got nbformat {major}");
        return new NotebookDocument(obj);
    }

    /// <summary>A notebook of one code cell: how a .csx file is written out.</summary>
    public static NotebookDocument FromScript(string code) => new(new JsonObject
    {
        ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = code,
        }),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    });

    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue text => text.GetValue<string>(),
        _ => "",
    };

    public void Save(string path)
    {
        root["nbformat"] = 4;
        root["nbformat_minor"] = 5;
        var metadata = root["metadata"] as JsonObject ?? [];
        root["metadata"] = metadata;
        metadata["kernelspec"] = new JsonObject
        {
            ["name"] = "theon", ["display_name"] = "C# (Theon)", ["language"] = "csharp",
        };
        metadata["language_info"] = KernelInfo.LanguageInfo();
        foreach (var cell in Cells) cell["id"] ??= Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
