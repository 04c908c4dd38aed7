using System.Runtime.InteropServices;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The <c>void** kernelParams</c> of cuLaunchKernel: each argument's bytes in unmanaged memory, and an array of
/// pointers to them. By-value structs (the layout of a fused kernel) are passed as arrays of longs.
/// </summary>
public sealed unsafe class KernelArguments : IDisposable
{
    private readonly List<nint> slots = [];
    private void** pointers;

    public KernelArguments Pointer(ulong devicePointer) => Add(devicePointer);

    public KernelArguments Long(long value) => Add(value);

    public KernelArguments Struct(ReadOnlySpan<long> fields)
    {
        var slot = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(fields.Length * 8, 8), 16);
        fields.CopyTo(new Span<long>((void*)slot, fields.Length));
        slots.Add(slot);
        return this;
    }

    private KernelArguments Add<T>(T value) where T : unmanaged
    {
        var slot = (nint)NativeMemory.AlignedAlloc((nuint)sizeof(T), 16);
        *(T*)slot = value;
        slots.Add(slot);
        return this;
    }

    public void** Pointers
    {
        get
        {
            if (pointers != null) NativeMemory.Free(pointers);
            pointers = (void**)NativeMemory.Alloc((nuint)Math.Max(slots.Count, 1), (nuint)sizeof(void*));
            for (var i = 0; i < slots.Count; i++) pointers[i] = (void*)slots[i];
            return pointers;
        }
    }

    /// <summary>
    /// The address of the pointer array, for callers without unsafe code (the host emulation in the tests).
    /// </summary>
    public nint Address => (nint)Pointers;

    public void Dispose()
    {
        foreach (var slot in slots) NativeMemory.AlignedFree((void*)slot);
        slots.Clear();
        if (pointers != null) NativeMemory.Free(pointers);
        pointers = null;
    }
}
