using Theon.Backends.Cuda.Native;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>The CUDA graphs of a <see cref="CudaExecutable"/>: capture, replay and the key of a call.</summary>
internal sealed partial class CudaExecutable
{
    /// <summary>The number of CUDA graphs this function holds (0 where graphs are off).</summary>
    public int GraphCount => graphs?.Count ?? 0;

    // A call's device work recorded into a graph, which then runs it. Work a graph cannot hold (a device value read
    // on the host, a first upload) abandons the capture for this key; a driver that refuses to capture or
    // instantiate turns graphs off for the function. Either way the call then runs step by step.
    private bool TryCapture(long[] key, NDArray[] outputs, CancellationToken cancellation)
    {
        CallContext context;
        DeviceArray?[] deviceOutputs;
        device.BeginCapture();
        try
        {
            (context, deviceOutputs) = Walk(cancellation);
        }
        catch (Exception e) when (e is CaptureRefusedException or CudaException)
        {
            AbandonCapture();
            ForgetRecorded();
            if (e is CudaException) graphs = null;
            else if (e is CaptureRefusedException { Transient: false }) graphs!.Refuse(key);
            return false;
        }
        catch
        {
            AbandonCapture();
            throw;
        }
        try
        {
            DeviceGraph graph;
            try
            {
                graph = device.EndCapture()!;
            }
            catch (CudaException)
            {
                ForgetRecorded();
                graphs = null;
                return false;
            }
            NDArray?[] hostOutputs = [.. Enumerable.Range(0, outputCount).Select(o => deviceOutputs[o] is null
                ? hostValues[slotOf[results[o]]]!.Copy() : null)];
            DeviceArray?[] handles = [.. deviceOutputs.Select(a => a is null ? null : new DeviceArray(
                DeviceMemory.Borrowed(device, a.Pointer, a.Size * a.DType.ItemSize), a.DType, a.Shape, a.Strides))];
            (int, ulong, NDArray)[] hostInputs = [.. hostInputsRead.Select(slot =>
                (slot, uploads[slot]!.Pointer, uploaded[slot]!))];
            var captured = new CapturedCall(graph, handles, hostOutputs, hostInputs);
            capturedWrites.AddOrUpdate(captured, [.. inPlaceWrites]);
            graphs!.Add(key, captured);
            TryReplay(captured, outputs);
            return true;
        }
        finally
        {
            EndWalk(context);
        }
    }

    // The values a failed capture recorded were never computed: the call starts again from its uploaded arguments.
    private void ForgetRecorded()
    {
        Array.Clear(staged);
        Array.Clear(inPlaceWrites);
        for (var slot = 0; slot < deviceValues.Length; slot++)
        {
            if (!uploadedEachCall.Contains(slot)) deviceValues[slot] = null;
        }
    }

    // A capture the driver invalidated ends with an error of its own, which says nothing the caller needs.
    private void AbandonCapture()
    {
        try
        {
            device.EndCapture(keep: false);
        }
        catch (CudaException)
        {
        }
    }

    // The graph reads the values computed on the host (a batch size, row numbers) from the buffers they went up into
    // when it was captured: they are the same for the same key, but a call of another key may have put other values
    // there, so they go up again first where they differ. A buffer that moved since makes the graph useless.
    private bool TryReplay(CapturedCall captured, NDArray[] outputs)
    {
        foreach (var (slot, pointer, value) in captured.HostInputs)
        {
            if (uploads[slot]?.Pointer != pointer) return false;
        }
        foreach (var (slot, _, value) in captured.HostInputs)
        {
            if (uploaded[slot] is { } last && Same(last, value)) continue;
            transfers.Upload(value, uploads[slot]!);
            uploaded[slot] = value;
        }
        device.Replay(captured.Graph);
        for (var o = 0; o < outputCount; o++)
            outputs[o] = captured.HostOutputs[o] ?? Output(o, captured.DeviceOutputs[o]);
        kept.CopyTo(staged, 0);
        if (capturedWrites.TryGetValue(captured, out var writes)) writes.CopyTo(inPlaceWrites, 0);
        return true;
    }

    /// <summary>
    /// What fixes this call's device work, or null when it cannot replay (a shared value not current on this
    /// device); see <see cref="CallGraphs"/>.
    /// </summary>
    private long[]? GraphKey(NDArray[] inputs)
    {
        var key = new List<long> { ArenaGenerations };
        foreach (var value in inputs)
        {
            key.Add(value.DType.GetHashCode());
            foreach (var d in value.shape) key.Add(d);
            if (value.ndim == 0) key.Add(BitConverter.DoubleToInt64Bits((double)value));
        }
        foreach (var slot in uploadedEachCall) key.Add((long)deviceValues[slot]!.Pointer);
        foreach (var shared in sharedSlots)
        {
            var variable = (SharedVariable)variables[shared];
            if (!variable.ReplicaIsCurrent || variable.Replica is not DeviceReplica replica || replica.Device != device)
                return null;
            key.Add((long)replica.Array.Pointer);
            foreach (var d in replica.Shape) key.Add(d);
        }
        foreach (var buffer in kept) key.Add((long)(buffer?.Pointer ?? 0));
        AddInPlaceKey(key);
        return [.. key];
    }
}
