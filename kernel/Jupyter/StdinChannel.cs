using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Jupyter;

/// <summary>
/// Serves <c>Console.ReadLine()</c> inside a cell: sends input_request on the stdin socket to the client that sent
/// the execute_request, and waits for its input_reply while watching for an interrupt.
/// </summary>
internal sealed class StdinChannel(RouterSocket socket, MessageCodec codec, Action flushOutput)
{
    private readonly Lock gate = new();

    public string ReadLine(Message request, string prompt, bool password)
    {
        lock (gate)
        {
            flushOutput();
            while (socket.TryReceiveFrames(TimeSpan.Zero, out _))
            {
                // a reply to an earlier, interrupted request: stale
            }
            var content = new JsonObject { ["prompt"] = prompt, ["password"] = password };
            socket.SendMultipartBytes(codec.Encode(codec.Create("input_request", content, request)));
            while (true)
            {
                Interruption.Check();
                if (!socket.TryReceiveFrames(TimeSpan.FromMilliseconds(50), out var frames)) continue;
                Message reply;
                try
                {
                    reply = codec.Decode(frames);
                }
                catch (InvalidMessageException error)
                {
                    Log.Warn($"stdin: dropped a message: {error.Message}");
                    continue;
                }
                if (reply.Type == "input_reply") return reply.Text("value");
                Log.Warn($"stdin: ignored a {reply.Type} while waiting for input_reply");
            }
        }
    }
}

/// <summary>The process's standard input while the kernel runs: each cell says where a line comes from.</summary>
internal sealed class KernelConsoleInput : TextReader
{
    private volatile Func<string>? source;
    private volatile string? refusal;

    public void Allow(Func<string> readLine)
    {
        refusal = null;
        source = readLine;
    }

    public void Refuse(string reason)
    {
        source = null;
        refusal = reason;
    }

    public override string? ReadLine() => source is { } read ? read()
        : throw new InvalidOperationException(refusal ?? "Console.ReadLine(): this kernel has no input to read from");

    public override int Read() => throw new NotSupportedException(
        "Console.Read(): the kernel reads whole lines from the notebook; use Console.ReadLine()");

    public override int Peek() => -1;
}
