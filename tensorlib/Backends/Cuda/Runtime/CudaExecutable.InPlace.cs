using System.Runtime.CompilerServices;
using Theon.Backends.Cuda.Codegen;
using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The updates of a <see cref="CudaExecutable"/> that run in place (<see cref="InPlaceUpdate"/>). The call computes
/// each one's y and indices and checks them against the variable's replica: basic indices on the host, advanced ones
/// by the device's range check, which raises the error flag before anything is written. y (converted to the variable's
/// dtype and broadcast to the selection) and the int64 indices are copied into buffers the function keeps, so they
/// outlive the call's temporaries and never read the variable they are written into. <see cref="InstallStaged"/> then
/// writes them into the replica itself, outside any CUDA graph: a loop kernel over the selected view (add or copy), the
/// scatter-add kernel (repeated indices add up, as numpy's <c>add.at</c>) or the scatter-set kernels (the last of
/// repeated indices wins, as numpy's assignment). The replica keeps its memory and
/// becomes the variable's newer version; the host copy is stale until read.
/// </summary>
internal sealed partial class CudaExecutable
{
    private readonly IReadOnlyList<InPlaceUpdate> inPlace;
    private readonly DeviceArray?[] inPlaceTargets;     // per in-place update: the variable's replica this call
    private readonly InPlaceWrite?[] inPlaceWrites;     // per in-place update: what the call staged to write
    private readonly DeviceArray?[][] keptOperands;     // per in-place update: y, then the indices, kept
    private readonly DeviceArray?[] inPlaceClaims;      // per advanced set: the scatter-set's scratch, kept
    private readonly ConditionalWeakTable<CapturedCall, InPlaceWrite?[]> capturedWrites = [];

    /// <summary>Where one in-place update writes: the selected view of the variable's replica (for advanced indices,
    /// the whole replica), as a shape, strides and offset. A replayed graph gets it back from its capture; the replica
    /// and the kept operands it is applied to are the current ones, at the addresses the graph's key holds.</summary>
    private sealed record InPlaceWrite(int[] Shape, long[] Strides, long Offset);

    /// <summary>Each in-place update's variable, current on this device (uploaded here, outside any graph, when the
    /// host holds the newer value).</summary>
    private void PrepareInPlaceTargets()
    {
        for (var k = 0; k < inPlace.Count; k++)
            inPlaceTargets[k] = DeviceReplica.Of(inPlace[k].Variable, device, transfers);
    }

    /// <summary>The operands the device reads: y, and advanced indices (basic ones are slice bounds, read on the
    /// host).</summary>
    private static IEnumerable<Variable> ReadOnDevice(InPlaceUpdate update) =>
        update.Node.op is IncSubtensor ? update.Operands.Take(1) : update.Operands;

    private void AddInPlaceKey(List<long> key)
    {
        for (var k = 0; k < inPlace.Count; k++)
        {
            key.Add((long)inPlaceTargets[k]!.Pointer);
            foreach (var d in inPlaceTargets[k]!.Shape) key.Add(d);
            foreach (var buffer in keptOperands[k]) key.Add((long)(buffer?.Pointer ?? 0));
        }
    }

    // The "compute and check" half: everything that can fail happens here, during the call.
    private InPlaceWrite StageInPlace(int k)
    {
        var (update, target) = (inPlace[k], inPlaceTargets[k]!);
        var y = DeviceValue(slotOf[update.Operands[0]]);
        if (update.Node.op is IncSubtensor basic)
        {
            NDArray[] bounds = [.. update.Operands.Skip(1).Select(v => HostValue(slotOf[v]))];
            var view = InputNames.Indexing(update.Node, () => BasicIndexing.View(target, basic.Specs, bounds));
            IncrementChecks.CheckFits(update.Node, y.Shape, view.Shape);
            KeepOperand(k, 0, y, view.Shape, target.DType);
            return new InPlaceWrite(view.Shape, view.Strides, view.Offset);
        }
        var indices = update.Operands.Skip(1).Select(v => DeviceValue(slotOf[v])).ToArray();
        var indexShape = Values.Shapes.Broadcast([.. indices.Select(i => i.Shape)]);
        var kept = indices.Select((index, i) => KeepOperand(k, 1 + i, index, indexShape, DType.Int64)).ToArray();
        int[] selected = [.. indexShape, .. target.Shape.Skip(indices.Length)];
        IncrementChecks.CheckFits(update.Node, y.Shape, selected);
        // The range check: a gather of one element per position from the leading axes raises the error flag for an
        // index out of range, as the out-of-place scatter would.
        int[] leading = [.. target.Shape.Take(indices.Length)];
        var positions = new DeviceArray(target.Memory, target.DType, leading, DeviceArray.ContiguousStrides(leading),
            target.Offset);
        call!.Track(kernels.Gather(positions, kept, indexShape, error));
        KeepOperand(k, 0, y, selected, target.DType);
        return new InPlaceWrite(target.Shape, target.Strides, target.Offset);
    }

    /// <summary><paramref name="value"/> broadcast to <paramref name="shape"/> and converted to
    /// <paramref name="dtype"/>, in the buffer the function keeps for operand <paramref name="operand"/> of update
    /// <paramref name="k"/>.</summary>
    private DeviceArray KeepOperand(int k, int operand, DeviceArray value, int[] shape, DType dtype)
    {
        if (keptOperands[k][operand] is not { } buffer || buffer.DType != dtype || !buffer.Shape.SequenceEqual(shape))
        {
            keptOperands[k][operand]?.Memory.Dispose();
            keptOperands[k][operand] = buffer = DeviceArray.Allocate(device, dtype, shape);
        }
        kernels.LoopInto(LoopBody.Convert(value.DType, dtype), [DeviceOps.Broadcast(value, shape)], shape, buffer);
        return buffer;
    }

    // The "write" half, after every check of the call passed: into the replicas themselves.
    private void WriteInPlace()
    {
        for (var k = 0; k < inPlace.Count; k++)
        {
            var (write, update, values) = (inPlaceWrites[k]!, inPlace[k], keptOperands[k][0]!);
            var target = inPlaceTargets[k]!.View(write.Shape, write.Strides, write.Offset);
            if (update.Node.op is AdvancedIncSubtensor advanced)
            {
                DeviceArray[] indices = [.. keptOperands[k].Skip(1).Select(i => i!)];
                if (advanced.SetInstead) kernels.ScatterSet(target, indices, values, Claims(k, target, indices.Length), error);
                else kernels.ScatterAdd(target, indices, values, error);
            }
            else if (update.Op.SetInstead)
                kernels.LoopInto(LoopBody.Convert(values.DType, values.DType), [values], target.Shape, target);
            else kernels.LoopInto(AddBody(target.DType), [target, values], target.Shape, target);
            var variable = inPlace[k].Variable;
            variable.InstallReplica(variable.Replica!);
            inPlaceWrites[k] = null;
        }
    }

    private DeviceArray Claims(int k, DeviceArray target, int indexArrays)
    {
        var shape = KernelLauncher.ClaimsShape(target, indexArrays);
        if (inPlaceClaims[k] is { } kept && kept.Shape.SequenceEqual(shape)) return kept;
        inPlaceClaims[k]?.Memory.Dispose();
        return inPlaceClaims[k] = DeviceArray.Allocate(device, DType.Int64, shape);
    }

    private static LoopBody AddBody(DType dtype) => new(ScalarExpr.Of(Add.Op, 2), new([dtype, dtype]), dtype);
}
