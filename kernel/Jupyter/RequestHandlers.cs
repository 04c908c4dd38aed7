using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Theon.Kernel.Engine;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Jupyter;

/// <summary>Answers shell and control requests, each between status busy and idle on IOPub.</summary>
internal sealed class RequestHandlers(
    MessageCodec codec, Iopub iopub, JupyterHost host, ScriptEngine engine, StdinChannel stdin,
    KernelConsoleInput input, Action stop)
{
    private readonly History history = new();
    private readonly LanguageServices language = new(engine);
    private int executionCount;

    public void Handle(List<byte[]> frames, RouterSocket socket, bool isControl, RouterSocket shell)
    {
        Message request;
        try
        {
            request = codec.Decode(frames);
        }
        catch (InvalidMessageException error)
        {
            Log.Warn(error.BadSignature
                ? $"{(isControl ? "control" : "shell")}: dropped a message with a bad signature"
                : $"{(isControl ? "control" : "shell")}: dropped a malformed message: {error.Message}");
            return;
        }
        iopub.Status("busy", request);
        try
        {
            Dispatch(request, socket, shell);
        }
        catch (Exception error)
        {
            Log.Warn($"{request.Type}: {error}");
            if (request.Type.EndsWith("_request", StringComparison.Ordinal))
                Reply(socket, request, ErrorContent(error.GetType().Name, error.Message));
        }
        finally
        {
            iopub.Status("idle", request);
        }
    }

    private void Dispatch(Message request, RouterSocket socket, RouterSocket shell)
    {
        switch (request.Type)
        {
            case "kernel_info_request": Reply(socket, request, KernelInfoContent()); break;
            case "execute_request": Execute(request, socket, shell); break;
            case "is_complete_request": Reply(socket, request, IsComplete(request.Text("code"))); break;
            case "complete_request": Reply(socket, request, Complete(request)); break;
            case "inspect_request": Reply(socket, request, Inspect(request)); break;
            case "history_request": Reply(socket, request, history.Reply(request)); break;
            case "comm_info_request":
                Reply(socket, request, new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "interrupt_request":
                Interruption.Request();
                Reply(socket, request, new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Interruption.Request();
                var restart = request.Flag("restart", false);
                Reply(socket, request, new JsonObject { ["status"] = "ok", ["restart"] = restart });
                stop();
                break;
            case "comm_open" or "comm_msg" or "comm_close":
                Log.Info($"{request.Type}: this kernel has no comm targets; ignored");
                break;
            default:
                Log.Warn($"unknown message type '{request.Type}'");
                if (request.Type.EndsWith("_request", StringComparison.Ordinal))
                    Reply(socket, request, ErrorContent("UnknownMessageType",
                        $"this kernel does not handle '{request.Type}' messages"));
                break;
        }
    }

    private void Execute(Message request, RouterSocket socket, RouterSocket shell)
    {
        var code = request.Text("code");
        var silent = request.Flag("silent", false);
        var storeHistory = !silent && request.Flag("store_history", true);
        if (storeHistory) executionCount++;
        var count = executionCount;
        if (!silent)
            iopub.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        host.Parent = request;
        host.Silent = silent;
        if (request.Flag("allow_stdin", true)) input.Allow(() => stdin.ReadLine(request, "", password: false));
        else input.Refuse("Console.ReadLine(): this client does not accept input (allow_stdin is false)");
        CellOutcome outcome;
        using (OutputRouter.Capture(host)) outcome = engine.Execute(code);
        host.Flush();
        if (outcome.Value is { } value) host.Result(count, value);
        if (storeHistory)
            history.Add(count, code, outcome.Value is null ? null : Formatting(outcome.Value));
        if (outcome.Error is { } error)
        {
            var content = ErrorContent(error);
            if (!silent) iopub.Publish("error", (JsonObject)content.DeepClone(), request);
            content.Remove("status");
            content["status"] = "error";
            content["execution_count"] = count;
            var queued = request.Flag("stop_on_error", true) ? TakeQueued(shell) : [];
            Reply(socket, request, content);
            AbortQueued(queued, shell);
            return;
        }
        Reply(socket, request, new JsonObject
        {
            ["status"] = "ok", ["execution_count"] = count, ["payload"] = new JsonArray(),
            ["user_expressions"] = UserExpressions(request.Content["user_expressions"] as JsonObject),
        });
    }

    private JsonObject UserExpressions(JsonObject? expressions)
    {
        var results = new JsonObject();
        if (expressions is null) return results;
        var silent = host.Silent;
        host.Silent = true;
        try
        {
            foreach (var (name, node) in expressions)
            {
                var expression = node is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
                CellOutcome outcome;
                using (OutputRouter.Capture(host)) outcome = engine.Evaluate(expression);
                host.Flush();
                results[name] = outcome.Error is { } error ? ErrorContent(error) : new JsonObject
                {
                    ["status"] = "ok",
                    ["data"] = JupyterHost.Bundle(MimeBundle.For(outcome.Value)),
                    ["metadata"] = new JsonObject(),
                };
            }
        }
        finally
        {
            host.Silent = silent;
        }
        return results;
    }

    /// <summary>
    /// The shell requests already waiting when a cell failed, taken before its reply is sent: a request the client
    /// sends once it has seen the reply is not among them.
    /// </summary>
    private static List<List<byte[]>> TakeQueued(RouterSocket shell)
    {
        var queued = new List<List<byte[]>>();
        while (shell.TryReceiveFrames(TimeSpan.Zero, out var frames)) queued.Add(frames);
        return queued;
    }

    /// <summary>After a failed cell with stop_on_error, the executes that were queued behind it are aborted.</summary>
    private void AbortQueued(List<List<byte[]>> waiting, RouterSocket shell)
    {
        foreach (var frames in waiting)
        {
            Message queued;
            try
            {
                queued = codec.Decode(frames);
            }
            catch (InvalidMessageException)
            {
                Handle(frames, shell, isControl: false, shell);
                continue;
            }
            if (queued.Type != "execute_request")
            {
                Handle(frames, shell, isControl: false, shell);
                continue;
            }
            iopub.Status("busy", queued);
            Reply(shell, queued, new JsonObject { ["status"] = "aborted", ["execution_count"] = executionCount });
            iopub.Status("idle", queued);
        }
    }

    private static JsonObject IsComplete(string code) => LanguageServices.IsComplete(code)
        ? new JsonObject { ["status"] = "complete" }
        : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };

    private JsonObject Complete(Message request)
    {
        var code = request.Text("code");
        var cursor = TextPositions.ToUtf16(code, request.Number("cursor_pos", TextPositions.CodePoints(code)));
        var completions = language.CompleteAsync(code, cursor).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. completions.Matches.Select(m => JsonValue.Create(m))]),
            ["cursor_start"] = TextPositions.ToCodePoints(code, completions.Start),
            ["cursor_end"] = TextPositions.ToCodePoints(code, completions.End),
            ["metadata"] = new JsonObject(),
        };
    }

    private JsonObject Inspect(Message request)
    {
        var code = request.Text("code");
        var cursor = TextPositions.ToUtf16(code, request.Number("cursor_pos", TextPositions.CodePoints(code)));
        var text = language.InspectAsync(code, cursor).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["status"] = "ok", ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { [MimeBundle.PlainText] = text },
            ["metadata"] = new JsonObject(),
        };
    }

    private static JsonObject KernelInfoContent() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = KernelInfo.ProtocolVersion,
        ["implementation"] = "theon",
        ["implementation_version"] = KernelInfo.Version,
        ["language_info"] = KernelInfo.LanguageInfo(),
        ["banner"] = $"Theon {KernelInfo.Version}: C# (Roslyn scripting) with Theon loaded",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private static string Formatting(object value) => MimeBundle.For(value)[MimeBundle.PlainText];

    private static JsonObject ErrorContent(CellError error) => new()
    {
        ["status"] = "error", ["ename"] = error.Name, ["evalue"] = error.Message,
        ["traceback"] = new JsonArray([.. error.Traceback.Select(l => JsonValue.Create(l))]),
    };

    private static JsonObject ErrorContent(string name, string message) => new()
    {
        ["status"] = "error", ["ename"] = name, ["evalue"] = message,
        ["traceback"] = new JsonArray(JsonValue.Create($"{name}: {message}")),
    };

    private void Reply(RouterSocket socket, Message request, JsonObject content)
    {
        var type = request.Type.EndsWith("_request", StringComparison.Ordinal)
            ? request.Type[..^"_request".Length] + "_reply"
            : request.Type + "_reply";
        var frames = codec.Encode(codec.Create(type, content, request));
        lock (socket) socket.SendMultipartBytes(frames);
    }
}

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 units.</summary>
internal static class TextPositions
{
    public static int CodePoints(string text) => ToCodePoints(text, text.Length);

    public static int ToCodePoints(string text, int utf16Index)
    {
        var count = 0;
        for (var i = 0; i < Math.Min(utf16Index, text.Length); i++)
            if (!char.IsLowSurrogate(text[i])) count++;
        return count;
    }

    public static int ToUtf16(string text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; index < text.Length && seen < codePoints; index++)
            if (!char.IsHighSurrogate(text[index])) seen++;
        return index;
    }
}
