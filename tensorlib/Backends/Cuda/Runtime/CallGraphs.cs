namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The CUDA graphs of one function's calls, keyed by everything that fixes a call's device work: the arguments'
/// shapes, the values of its scalar arguments (they choose a minibatch's slice), the addresses of the shared values
/// and update buffers it reads and writes, and the arena's generation. A call whose key was seen once before is
/// captured; a call whose key has a graph replays it. A bounded number of graphs is kept.
/// </summary>
internal sealed class CallGraphs : IDisposable
{
    private const int MaxGraphs = 256;
    private readonly Dictionary<long[], CapturedCall> captured = new(KeyComparer.Instance);
    private readonly HashSet<long[]> seen = new(KeyComparer.Instance);
    private readonly HashSet<long[]> refused = new(KeyComparer.Instance);

    public bool TryGet(long[] key, out CapturedCall call) => captured.TryGetValue(key, out call!);

    /// <summary>True the second time a key comes that has neither a graph nor a refused capture.</summary>
    public bool ShouldCapture(long[] key)
    {
        if (refused.Contains(key)) return false;
        if (seen.Remove(key)) return true;
        if (seen.Count >= 4 * MaxGraphs) seen.Clear();
        seen.Add(key);
        return false;
    }

    public void Add(long[] key, CapturedCall call)
    {
        if (captured.Count >= MaxGraphs) Clear();
        captured[key] = call;
    }

    /// <summary>A capture of this key could not record the call (it reads a device value on the host, say).</summary>
    public void Refuse(long[] key) => refused.Add(key);

    public int Count => captured.Count;

    private void Clear()
    {
        foreach (var call in captured.Values) call.Graph.Dispose();
        captured.Clear();
    }

    public void Dispose() => Clear();

    private sealed class KeyComparer : IEqualityComparer<long[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(long[]? a, long[]? b) => a.AsSpan().SequenceEqual(b);

        public int GetHashCode(long[] key)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.AsSpan()));
            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// A captured call: its graph; where it leaves the outputs: device arrays (handles that own nothing: the graph's
/// addresses), or the host values of outputs computed on the host; and the values computed on the host that it reads
/// on the device, with the buffers they were uploaded into. Its update values are in the function's kept buffers,
/// whose addresses are part of the key.
/// </summary>
internal sealed record CapturedCall(DeviceGraph Graph, DeviceArray?[] DeviceOutputs, NDArray?[] HostOutputs,
    (int Slot, ulong Pointer, NDArray Value)[] HostInputs);
