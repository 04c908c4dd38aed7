using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Host-device copies of one call through a pinned staging buffer. Small uploads are packed into it and copied
/// asynchronously; downloads are queued into it and unpacked together after one wait (<see cref="Finish"/>), so a
/// call synchronizes once. Large values (a data set, a parameter the first time) are copied directly from the
/// managed array: the driver stages pageable memory itself and returns once the source may change.
/// </summary>
public sealed unsafe class Transfers(Device device) : IDisposable
{
    private const long DirectThreshold = 1 << 20;
    private PinnedBuffer? staging;
    private long used;
    private readonly List<(long Offset, NDArray Target)> pending = [];

    /// <summary>Copies <paramref name="value"/> into the contiguous device array <paramref name="target"/> of its
    /// shape.</summary>
    public void Upload(NDArray value, DeviceArray target)
    {
        var contiguous = value.IsContiguous ? value : value.Copy();
        var bytes = target.Size * value.DType.ItemSize;
        if (bytes == 0) return;
        var source = HostBytes(contiguous);
        if (bytes > DirectThreshold)
        {
            fixed (byte* pointer = source) device.CopyToDevice(target.Pointer, pointer, bytes);
            return;
        }
        var offset = Reserve(bytes);
        source.CopyTo(staging!.Span.Slice((int)offset, (int)bytes));
        device.CopyToDevice(target.Pointer, (byte*)staging.Pointer + offset, bytes);
    }

    /// <summary>A new contiguous device copy of <paramref name="value"/>; its memory belongs to the caller.</summary>
    public DeviceArray Upload(NDArray value)
    {
        var result = DeviceArray.Allocate(device, value.DType, value.shape);
        Upload(value, result);
        return result;
    }

    /// <summary>
    /// Queues a copy of the contiguous <paramref name="value"/> into <paramref name="target"/> (a host array of its
    /// shape and dtype), done by <see cref="Finish"/>.
    /// </summary>
    public void QueueDownload(DeviceArray value, NDArray target)
    {
        if (!value.IsContiguous)
            throw new InvalidOperationException("download a contiguous device array (copy it first).");
        var bytes = value.Size * value.DType.ItemSize;
        if (bytes == 0) return;
        var offset = Reserve(bytes);
        device.CopyToHost((byte*)staging!.Pointer + offset, value.Pointer, bytes);
        pending.Add((offset, target));
    }

    /// <summary>Waits for the stream once, then unpacks every queued download; the staging buffer is free
    /// again.</summary>
    public void Finish()
    {
        device.Synchronize();
        FinishInto();
        used = 0;
    }

    /// <summary>Forgets queued downloads after a failed call (the next <see cref="Finish"/> waits as usual).</summary>
    public void Abandon()
    {
        device.Synchronize();
        pending.Clear();
        used = 0;
    }

    /// <summary>
    /// A host copy of a contiguous device array, waiting for it at once; the staging buffer and the queued downloads
    /// are left alone.
    /// </summary>
    public NDArray Download(DeviceArray value)
    {
        if (!value.IsContiguous)
            throw new InvalidOperationException("download a contiguous device array (copy it first).");
        var result = NDArray.Zeros(value.DType, value.Shape);
        var bytes = value.Size * value.DType.ItemSize;
        if (bytes == 0) return result;
        fixed (byte* pointer = HostBytes(result)) device.CopyToHost(pointer, value.Pointer, bytes);
        device.Synchronize();
        return result;
    }

    // Regions are 256-byte aligned. A full buffer is replaced by a larger one once the stream has drained.
    private long Reserve(long bytes)
    {
        var offset = (used + 255) & ~255L;
        if (staging is null || offset + bytes > staging.Bytes)
        {
            if (used > 0) device.Synchronize();
            FinishInto();
            staging?.Dispose();
            staging = device.AllocatePinned(Math.Max(2 * (offset + bytes), 1 << 16));
            offset = 0;
        }
        used = offset + bytes;
        return offset;
    }

    // Unpacks what is queued before the staging buffer is replaced (the stream has drained).
    private void FinishInto()
    {
        foreach (var (offset, target) in pending)
        {
            var bytes = HostBytes(target);
            staging!.Span.Slice((int)offset, bytes.Length).CopyTo(bytes);
        }
        pending.Clear();
    }

    internal static Span<byte> HostBytes(NDArray contiguous) => contiguous.DType.Name switch
    {
        "bool" or "uint8" => contiguous.Span<byte>(),
        "int8" => MemoryMarshal.AsBytes(contiguous.Span<sbyte>()),
        "int16" => MemoryMarshal.AsBytes(contiguous.Span<short>()),
        "int32" => MemoryMarshal.AsBytes(contiguous.Span<int>()),
        "int64" => MemoryMarshal.AsBytes(contiguous.Span<long>()),
        "float32" => MemoryMarshal.AsBytes(contiguous.Span<float>()),
        "float64" => MemoryMarshal.AsBytes(contiguous.Span<double>()),
        _ => throw new ArgumentException($"no device transfer for dtype {contiguous.DType}."),
    };

    public void Dispose()
    {
        staging?.Dispose();
        staging = null;
    }
}
