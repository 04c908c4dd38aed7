using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// Host-device copies through one growing pinned staging buffer: the host array is packed contiguous into it, then
/// copied asynchronously on the device's stream. Downloads synchronize before unpacking.
/// </summary>
public sealed unsafe class Transfers(CudaDevice device) : IDisposable
{
    private PinnedBuffer? staging;

    private PinnedBuffer Staging(long bytes)
    {
        if (staging is { } s && s.Bytes >= bytes) return s;
        device.Synchronize();
        staging?.Dispose();
        staging = device.AllocatePinned(Math.Max(bytes, 1 << 20));
        return staging;
    }

    /// <summary>A new contiguous device copy of <paramref name="value"/>; its memory belongs to the caller.</summary>
    public DeviceArray Upload(NDArray value)
    {
        var contiguous = value.IsContiguous ? value : value.Copy();
        var result = DeviceArray.Allocate(device, value.DType, value.shape);
        var bytes = result.Size * value.DType.ItemSize;
        if (bytes == 0) return result;
        var buffer = Staging(bytes);
        device.Synchronize();   // the previous copy out of the staging buffer must have finished
        HostBytes(contiguous).CopyTo(buffer.Span);
        device.CopyToDevice(result.Pointer, (void*)buffer.Pointer, bytes);
        return result;
    }

    /// <summary>A host copy of a contiguous device array.</summary>
    public NDArray Download(DeviceArray value)
    {
        if (!value.IsContiguous)
            throw new InvalidOperationException("download a contiguous device array (copy it first).");
        var result = NDArray.Zeros(value.DType, value.Shape);
        var bytes = value.Size * value.DType.ItemSize;
        if (bytes == 0) return result;
        var buffer = Staging(bytes);
        device.CopyToHost((void*)buffer.Pointer, value.Pointer, bytes);
        device.Synchronize();
        buffer.Span[..(int)bytes].CopyTo(HostBytes(result));
        return result;
    }

    private static Span<byte> HostBytes(NDArray contiguous) => contiguous.DType.Name switch
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
