using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The <c>void** kernelParams</c> of cuLaunchKernel: each argument's bytes in unmanaged memory, and an array of
/// pointers to them. By-value structs (the layout of a fused kernel) are passed as arrays of longs.
/// </summary>
public sealed unsafe class KernelArguments : IDisposable
{
    private readonly List<(nint Address, int Bytes)> slots = [];
    private void** pointers;

    public KernelArguments Pointer(ulong devicePointer) => Add(devicePointer);

    public KernelArguments Long(long value) => Add(value);

    public KernelArguments Struct(ReadOnlySpan<long> fields)
    {
        var bytes = Math.Max(fields.Length * 8, 8);
        var slot = (nint)NativeMemory.AlignedAlloc((nuint)bytes, 16);
        fields.CopyTo(new Span<long>((void*)slot, fields.Length));
        slots.Add((slot, bytes));
        return this;
    }

    private KernelArguments Add<T>(T value) where T : unmanaged
    {
        var slot = (nint)NativeMemory.AlignedAlloc((nuint)sizeof(T), 16);
        *(T*)slot = value;
        slots.Add((slot, sizeof(T)));
        return this;
    }

    /// <summary>A copy with its own memory, for a launch recorded now and made later.</summary>
    public KernelArguments Copy()
    {
        var copy = new KernelArguments();
        foreach (var (address, bytes) in slots)
        {
            var slot = (nint)NativeMemory.AlignedAlloc((nuint)bytes, 16);
            Buffer.MemoryCopy((void*)address, (void*)slot, bytes, bytes);
            copy.slots.Add((slot, bytes));
        }
        return copy;
    }

    public void** Pointers
    {
        get
        {
            if (pointers != null) NativeMemory.Free(pointers);
            pointers = (void**)NativeMemory.Alloc((nuint)Math.Max(slots.Count, 1), (nuint)sizeof(void*));
            for (var i = 0; i < slots.Count; i++) pointers[i] = (void*)slots[i].Address;
            return pointers;
        }
    }

    /// <summary>
    /// The address of the pointer array, for callers without unsafe code (the host emulation in the tests).
    /// </summary>
    public nint Address => (nint)Pointers;

    public void Dispose()
    {
        foreach (var (address, _) in slots) NativeMemory.AlignedFree((void*)address);
        slots.Clear();
        if (pointers != null) NativeMemory.Free(pointers);
        pointers = null;
    }
}
