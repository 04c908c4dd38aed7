using NetMQ;

namespace Theon.Kernel.Jupyter;

internal static class SocketExtensions
{
    public static bool TryReceiveFrames(this IReceivingSocket socket, TimeSpan timeout, out List<byte[]> frames)
    {
        List<byte[]>? received = null;
        var ok = socket.TryReceiveMultipartBytes(timeout, ref received!);
        frames = received ?? [];
        return ok;
    }
}
