using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theon.Kernel.Jupyter;

/// <summary>The connection file Jupyter writes for a kernel: where to bind and the signing key.</summary>
internal sealed record ConnectionFile(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort,
    int ControlPort, int HeartbeatPort, string Key, string SignatureScheme)
{
    public static ConnectionFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"connection file '{path}' does not exist", path);
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"connection file '{path}' is not valid JSON: {error.Message}");
        }
        if (json is not JsonObject obj)
            throw new InvalidDataException($"connection file '{path}': expected a JSON object");
        var scheme = Text(obj, path, "signature_scheme", "hmac-sha256");
        if (scheme != "hmac-sha256")
            throw new InvalidDataException(
                $"connection file '{path}': signature_scheme must be hmac-sha256, got '{scheme}'");
        return new ConnectionFile(Text(obj, path, "transport", "tcp"), Text(obj, path, "ip", "127.0.0.1"),
            Port(obj, path, "shell_port"), Port(obj, path, "iopub_port"), Port(obj, path, "stdin_port"),
            Port(obj, path, "control_port"), Port(obj, path, "hb_port"), Text(obj, path, "key", ""), scheme);
    }

    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";

    private static string Text(JsonObject obj, string path, string name, string fallback) => obj[name] switch
    {
        null => fallback,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => throw new InvalidDataException(
            $"connection file '{path}': {name} must be a string, got {other.GetValueKind()}"),
    };

    private static int Port(JsonObject obj, string path, string name) => obj[name] switch
    {
        JsonValue value when value.TryGetValue<int>(out var port) && port is >= 0 and <= 65535 => port,
        null => throw new InvalidDataException($"connection file '{path}': {name} is missing"),
        var other => throw new InvalidDataException(
            $"connection file '{path}': {name} must be a port number, got {other.ToJsonString()}"),
    };
}
