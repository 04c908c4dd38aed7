using System.Runtime.InteropServices;
using NetMQ;
using NetMQ.Sockets;
using Theon.Interactive;
using Theon.Kernel.Engine;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Jupyter;

/// <summary>
/// <c>theon kernel</c>: binds the five sockets of a connection file and serves them. The shell thread runs cells,
/// the control thread answers interrupts and shutdowns meanwhile, a third thread echoes heartbeats.
/// </summary>
internal sealed class KernelServer : IDisposable
{
    /// <summary>
    /// kernel.json sets it to 0. With tiered compilation on, the runtime recompiles the methods a new cell made hot
    /// (Roslyn's compiler, System.Reflection.Metadata, System.Text.Json: hundreds to thousands a cell) on its own
    /// thread, mostly after the reply, so an idle kernel kept a core busy for up to a second. Without it a method is
    /// compiled once, optimized (or its precompiled code is kept), when it is first called.
    /// </summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly RouterSocket shell = new();
    private readonly RouterSocket control = new();
    private readonly RouterSocket stdin = new();
    private readonly PublisherSocket iopubSocket = new();
    private readonly ResponseSocket heartbeat = new();
    private readonly MessageCodec codec;
    private readonly RequestHandlers handlers;
    private readonly JupyterHost host;
    private volatile bool stopping;

    private KernelServer(ConnectionFile connection, ScriptEngine engine)
    {
        codec = new MessageCodec(connection.Key, Guid.NewGuid().ToString());
        try
        {
            Bind(shell, connection, connection.ShellPort, "shell");
            Bind(control, connection, connection.ControlPort, "control");
            Bind(stdin, connection, connection.StdinPort, "stdin");
            Bind(iopubSocket, connection, connection.IopubPort, "iopub");
            Bind(heartbeat, connection, connection.HeartbeatPort, "heartbeat");
        }
        catch
        {
            Dispose();
            throw;
        }
        var iopub = new Iopub(iopubSocket, codec);
        host = new JupyterHost(iopub);
        var input = new KernelConsoleInput();
        Console.SetIn(input);
        handlers = new RequestHandlers(codec, iopub, host, engine, new StdinChannel(stdin, codec, host.Flush), input,
            () => stopping = true);
        Notebook.Host = host;
        Cell.ClearOutputHandler = host.ClearOutput;
        OutputRouter.SetIdleTarget(host);
        iopub.Status("starting", null);
    }

    public static int Run(string connectionFilePath)
    {
        // The setting is for this process: `dotnet restore` and the processes a cell starts get the default.
        Environment.SetEnvironmentVariable(TieredCompilationVariable, null);
        // First, so that Roslyn loads on the other core while this thread binds the sockets (the first cell waits for it).
        var engine = new ScriptEngine();
        KernelStartup.Initialize();
        ConnectionFile connection;
        try
        {
            connection = ConnectionFile.Load(connectionFilePath);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Log.Warn($"cannot start: {error.Message}");
            return 2;
        }
        KernelServer server;
        try
        {
            server = new KernelServer(connection, engine);
        }
        catch (BindException error)
        {
            Log.Warn($"cannot start: {error.Message}");
            return 3;
        }
        using (server) server.Serve();
        return 0;
    }

    private void Serve()
    {
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            Log.Info("SIGINT: interrupting the running cell");
            Interruption.Request();
        });
        var beat = new Thread(Heartbeat) { IsBackground = true, Name = "heartbeat" };
        var controlThread = new Thread(() => Listen(control, isControl: true))
        {
            IsBackground = true, Name = "control",
        };
        beat.Start();
        controlThread.Start();
        Log.Info($"kernel started (session {codec.Session})");
        Listen(shell, isControl: false);
        controlThread.Join();
        beat.Join();
        host.Flush();
        Log.Info("kernel stopped");
    }

    private void Listen(RouterSocket socket, bool isControl)
    {
        while (!stopping)
        {
            if (!socket.TryReceiveFrames(PollInterval, out var frames)) continue;
            handlers.Handle(frames, socket, isControl, shell);
        }
    }

    private void Heartbeat()
    {
        while (!stopping)
            if (heartbeat.TryReceiveFrameBytes(PollInterval, out var ping))
                heartbeat.SendFrame(ping);
    }

    private static void Bind(NetMQSocket socket, ConnectionFile connection, int port, string name)
    {
        var address = connection.Address(port);
        try
        {
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Bind(address);
        }
        catch (NetMQException error)
        {
            var reason = error is AddressAlreadyInUseException ? "the port is already in use" : error.Message;
            throw new BindException($"could not bind the {name} socket to {address}: {reason}");
        }
    }

    public void Dispose()
    {
        host?.Dispose();
        foreach (var socket in new NetMQSocket[] { shell, control, stdin, iopubSocket, heartbeat }) socket.Dispose();
        NetMQConfig.Cleanup(block: false);
    }

    private sealed class BindException(string message) : Exception(message);
}
