namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The memory one function's calls take their temporaries from: one device block, handed out in request order from
/// its start on every call, so a call that repeats the last one's shapes gets the same addresses (what a captured
/// CUDA graph needs) and makes no allocation. A call that needs more takes the excess from the pool, and the block
/// grows to fit before the next call (<see cref="Generation"/> counts the moves).
/// </summary>
public sealed class DeviceArena(Device device) : IDisposable
{
    private const long Alignment = 256;
    private DeviceMemory? block;
    private readonly List<DeviceMemory> overflow = [];
    private long used, needed;

    public Device Device => device;

    /// <summary>Counts the times the block was replaced: addresses handed out before then are gone.</summary>
    public int Generation { get; private set; }

    public long Capacity => block?.Bytes ?? 0;

    public DeviceMemory Take(long bytes)
    {
        var offset = (used + Alignment - 1) / Alignment * Alignment;
        used = offset + Math.Max(bytes, 1);
        needed = Math.Max(needed, used);
        if (block is not null && used <= block.Bytes) return DeviceMemory.Within(block, offset, bytes);
        var spill = device.Allocate(bytes);   // refused while capturing: a graph cannot keep a spilled address
        overflow.Add(spill);
        return spill;
    }

    /// <summary>Ends a call: everything taken is free again; a block too small for the call grows (once no graph is
    /// being captured).</summary>
    public void Reset()
    {
        foreach (var memory in overflow) memory.Dispose();
        overflow.Clear();
        used = 0;
        if (needed <= Capacity || device.Capturing) return;
        block?.Dispose();
        block = device.Allocate(needed + needed / 4);
        Generation++;
    }

    public void Dispose()
    {
        Reset();
        block?.Dispose();
        block = null;
    }
}
