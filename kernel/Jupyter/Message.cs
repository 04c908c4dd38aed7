using System.Text.Json.Nodes;

namespace Theon.Kernel.Jupyter;

/// <summary>One Jupyter message (messaging protocol 5.3), as received or about to be sent.</summary>
internal sealed record Message(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";

    public string Session => Header["session"]?.GetValue<string>() ?? "";

    public bool Flag(string name, bool fallback) =>
        Content[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;

    public string Text(string name, string fallback = "") =>
        Content[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : fallback;

    public int Number(string name, int fallback) =>
        Content[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : fallback;
}
