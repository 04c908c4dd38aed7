namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The memory one function's calls take their temporaries from: one device block, laid out afresh on every call by
/// first fit, a region given back as soon as the call no longer needs it (<see cref="Give"/>) and taken again by a
/// later temporary. The same requests in the same order get the same addresses, so a call that repeats the last
/// one's shapes makes no allocation and can be replayed as a CUDA graph. A call that needs more than the block takes
/// the excess from the pool, and the block grows to fit before the next call (<see cref="Generation"/> counts the
/// moves).
/// </summary>
public sealed class DeviceArena(Device device) : IDisposable
{
    private const long Alignment = 256;
    private DeviceMemory? block;
    private readonly List<DeviceMemory> overflow = [];
    private readonly List<(long Offset, long Bytes)> free = [];    // sorted by offset, neighbours merged
    private readonly Dictionary<DeviceMemory, (long Offset, long Bytes)> taken = new(ReferenceEqualityComparer.Instance);
    private readonly List<DeviceMemory> recent = [];
    private long high, needed;

    public Device Device => device;

    /// <summary>Counts the times the block was replaced: addresses handed out before then are gone.</summary>
    public int Generation { get; private set; }

    public long Capacity => block?.Bytes ?? 0;

    /// <summary>Whether <paramref name="memory"/> is a region of this arena still taken.</summary>
    public bool Holds(DeviceMemory memory) => taken.ContainsKey(memory);

    public DeviceMemory Take(long bytes)
    {
        var size = (Math.Max(bytes, 1) + Alignment - 1) / Alignment * Alignment;
        var offset = -1L;
        for (var i = 0; i < free.Count; i++)
        {
            if (free[i].Bytes < size) continue;
            offset = free[i].Offset;
            free[i] = (offset + size, free[i].Bytes - size);
            if (free[i].Bytes == 0) free.RemoveAt(i);
            break;
        }
        if (offset < 0)
        {
            offset = high;
            high += size;
            needed = Math.Max(needed, high);
        }
        DeviceMemory region;
        if (block is not null && offset + size <= block.Bytes) region = DeviceMemory.Within(block, offset, bytes);
        else
        {
            region = device.Allocate(bytes);   // refused while capturing: a graph cannot keep a spilled address
            overflow.Add(region);
        }
        taken[region] = (offset, size);
        recent.Add(region);
        return region;
    }

    /// <summary>The regions taken since the last time this was asked.</summary>
    public List<DeviceMemory> TakeRecent(List<DeviceMemory> into)
    {
        into.Clear();
        into.AddRange(recent);
        recent.Clear();
        return into;
    }

    /// <summary>Gives a region back for later temporaries of the same call.</summary>
    public void Give(DeviceMemory memory)
    {
        if (!taken.Remove(memory, out var region)) return;
        var at = free.FindIndex(f => f.Offset > region.Offset);
        if (at < 0) at = free.Count;
        free.Insert(at, region);
        if (at + 1 < free.Count && free[at].Offset + free[at].Bytes == free[at + 1].Offset)
        {
            free[at] = (free[at].Offset, free[at].Bytes + free[at + 1].Bytes);
            free.RemoveAt(at + 1);
        }
        if (at > 0 && free[at - 1].Offset + free[at - 1].Bytes == free[at].Offset)
        {
            free[at - 1] = (free[at - 1].Offset, free[at - 1].Bytes + free[at].Bytes);
            free.RemoveAt(at);
        }
    }

    /// <summary>Ends a call: everything taken is free again; a block too small for the call grows (once no graph is
    /// being captured).</summary>
    public void Reset()
    {
        foreach (var memory in overflow) memory.Dispose();
        overflow.Clear();
        taken.Clear();
        free.Clear();
        recent.Clear();
        high = 0;
        if (needed <= Capacity || device.Capturing) return;
        block?.Dispose();
        block = device.Allocate(needed + needed / 4);
        Generation++;
    }

    /// <summary>Gives the block and any spill back to the pool.</summary>
    public void Dispose()
    {
        foreach (var memory in overflow) memory.Dispose();
        overflow.Clear();
        block?.Dispose();
        block = null;
    }
}
