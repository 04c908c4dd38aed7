using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theon.Kernel.Jupyter;

/// <summary>
/// Jupyter's wire format: identities, <c>&lt;IDS|MSG&gt;</c>, an HMAC-SHA256 signature, four JSON frames, buffers.
/// </summary>
internal sealed class MessageCodec(string key, string session)
{
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private readonly byte[] keyBytes = Encoding.UTF8.GetBytes(key);

    public string Session => session;

    /// <summary>Parses and checks one message; throws <see cref="InvalidMessageException"/> if it is bad.</summary>
    public Message Decode(IReadOnlyList<byte[]> frames)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        if (delimiter < 0 || frames.Count < delimiter + 6)
            throw new InvalidMessageException($"expected <IDS|MSG> and 5 frames after it, got {frames.Count} frames");
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (!Verify(signature, parts)) throw new InvalidMessageException("bad signature", badSignature: true);
        return new Message(frames.Take(delimiter).ToList(), Object(parts[0], "header"),
            Object(parts[1], "parent_header"), Object(parts[2], "metadata"), Object(parts[3], "content"),
            frames.Skip(delimiter + 6).ToList());
    }

    public List<byte[]> Encode(Message message)
    {
        var parts = new[] { message.Header, message.ParentHeader, message.Metadata, message.Content }
            .Select(p => Encoding.UTF8.GetBytes(p.ToJsonString())).ToArray();
        var frames = new List<byte[]>(message.Identities) { Delimiter, Encoding.ASCII.GetBytes(Sign(parts)) };
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>A new message to send in reply to (or on behalf of) <paramref name="parent"/>.</summary>
    public Message Create(string type, JsonObject content, Message? parent, IReadOnlyList<byte[]>? identities = null) =>
        new(identities ?? parent?.Identities ?? [], Header(type),
            parent is null ? [] : (JsonObject)parent.Header.DeepClone(), [], content, []);

    private JsonObject Header(string type) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = "theon",
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
        ["msg_type"] = type,
        ["version"] = KernelInfo.ProtocolVersion,
    };

    private string Sign(byte[][] parts)
    {
        if (keyBytes.Length == 0) return "";
        using var hmac = new HMACSHA256(keyBytes);
        foreach (var part in parts) hmac.TransformBlock(part, 0, part.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    private bool Verify(string signature, byte[][] parts)
    {
        if (keyBytes.Length == 0) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private static JsonObject Object(byte[] frame, string name)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject
                ?? throw new InvalidMessageException($"{name}: expected a JSON object");
        }
        catch (JsonException error)
        {
            throw new InvalidMessageException($"{name}: malformed JSON ({error.Message})");
        }
    }
}

internal sealed class InvalidMessageException(string message, bool badSignature = false) : Exception(message)
{
    public bool BadSignature { get; } = badSignature;
}
