using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace Theon.Kernel.Jupyter;

/// <summary>The IOPub socket, shared by the shell, control and cell threads (sends are serialised).</summary>
internal sealed class Iopub(PublisherSocket socket, MessageCodec codec)
{
    private readonly Lock gate = new();

    public void Publish(string type, JsonObject content, Message? parent)
    {
        var message = codec.Create(type, content, parent, [Encoding.UTF8.GetBytes(type)]);
        var frames = codec.Encode(message);
        lock (gate) socket.SendMultipartBytes(frames);
    }

    public void Status(string state, Message? parent) =>
        Publish("status", new JsonObject { ["execution_state"] = state }, parent);
}
