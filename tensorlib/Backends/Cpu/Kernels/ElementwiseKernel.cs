using Theon.Ops;
using Theon.Backends.Cpu.Fusion;
using Theon.Backends.Cpu.Unrolled;

namespace Theon.Backends.Cpu;

/// <summary>
/// An elementwise op or a fused <see cref="Composite"/>: checks shapes as <see cref="Ops.Elemwise"/> does, takes
/// its planned output buffer (possibly a dead input's), and runs the generated loop row by row, splitting large
/// loops across the <see cref="WorkerPool"/>.
/// </summary>
internal sealed class ElementwiseKernel<T> : NodeKernel, IPartitionedWork, INaNCheckingKernel where T : unmanaged
{
    // Below this many elements a loop stays on the calling thread.
    internal const int ParallelThreshold = 1 << 16;

    // A parallel loop is cut into this many chunks per thread, which the threads claim one at a time: a worker that
    // wakes late, or a core a neighbouring VM slows, then takes fewer of them instead of holding up the call.
    private const int ChunksPerThread = 8;

    private readonly ScalarExpr body;
    private readonly LoopNest loop;
    private readonly int[][] strides;
    private readonly int[] offsets;
    private readonly int[] shape;
    private readonly FusedLoopInputs<T> loopInputs;
    private readonly NDArray?[] lastInputs;   // the arrays the loop nest was prepared for
    private NDArray? lastOutput;
    private FusedLoop<T>? lastLoop;
    private FusedLoop<T>? parallelLoop;
    private T[] parallelResult = [];
    private int[][] partOffsets = [];   // [part][operand], for the workers
    private int chunks, chunkLength, nextChunk;   // of the parallel loop now running
    private bool sawNaN;

    public ElementwiseKernel(NodeSlots slots, ScalarExpr body) : base(slots)
    {
        this.body = body;
        var node = slots.Node;
        var ndim = node.outputs[0].ndim;
        var operands = node.inputs.Count + 1;
        loop = new LoopNest(operands, ndim);
        strides = [.. Enumerable.Range(0, operands).Select(_ => new int[ndim])];
        offsets = new int[operands];
        shape = new int[ndim];
        loopInputs = new FusedLoopInputs<T>(body, node.inputs.Count);
        lastInputs = new NDArray?[node.inputs.Count];
        InPlaceCandidates = [.. Enumerable.Range(0, node.inputs.Count)
            .Where(i => node.inputs[i].type == node.outputs[0].type)];
    }

    public override bool WritesPlannedOutputs => true;

    public override IEnumerable<int> InPlaceCandidates { get; }

    public bool MayHaveSeenNaN => sawNaN;

    public void CheckNaN(int input)
    {
        loopInputs.CheckNaN(input);
        lastLoop = null;
    }

    public override void Run(Frame frame)
    {
        sawNaN = false;
        if (lastLoop is not null && SamePlan(frame, out var planned))
        {
            loop.Reset();
            Execute(lastLoop, (T[])planned.Buffer, planned.size);
            return;
        }
        lastLoop = null;
        var inputs = Slots.Inputs;
        ComputeShape(frame);
        var output = frame.Output(Slots.Outputs[0], shape);
        if (output.size == 0)
        {
            sawNaN = loopInputs.ChecksNaN;   // a length-1 input broadcast to nothing was not read
            return;
        }
        var outStrides = output.Strides;
        for (var axis = 0; axis < shape.Length; axis++) strides[0][axis] = outStrides[axis];
        offsets[0] = output.Offset;
        loopInputs.Bind(frame, inputs, offsets, strides);
        loop.Prepare(shape, strides, offsets);
        var fused = loopInputs.Select(loop);
        for (var k = 0; k < inputs.Length; k++) lastInputs[k] = frame.Input(inputs[k]);
        (lastOutput, lastLoop) = (output, fused);
        Execute(fused, (T[])output.Buffer, output.size);
    }

    /// <summary>
    /// True when the inputs are the very arrays of the last call (planned buffers and kept views are) and the
    /// output buffer is unchanged: shapes, strides and the loop nest then still hold.
    /// </summary>
    private bool SamePlan(Frame frame, out NDArray output)
    {
        output = null!;
        for (var k = 0; k < lastInputs.Length; k++)
        {
            if (!ReferenceEquals(frame.Values[Slots.Inputs[k]], lastInputs[k])) return false;
        }
        output = frame.Output(Slots.Outputs[0], shape);
        return ReferenceEquals(output, lastOutput);
    }

    private void Execute(FusedLoop<T> fused, T[] result, int size)
    {
        var threads = Theon.T.config.EffectiveThreads;
        if (threads > 1 && size >= ParallelThreshold)
        {
            RunParallel(fused, result, threads);
            return;
        }
        do sawNaN |= fused(loopInputs.Arrays, loop.Offsets, loop.InnerStrides, result, loop.InnerLength);
        while (loop.Next());
    }

    private void RunParallel(FusedLoop<T> fused, T[] result, int threads)
    {
        if (partOffsets.Length < threads)
            partOffsets = [.. Enumerable.Range(0, threads).Select(_ => new int[loop.Offsets.Length])];
        (parallelLoop, parallelResult) = (fused, result);
        var (rows, inner) = (loop.Rows, loop.InnerLength);
        chunks = (int)Math.Min(rows == 1 ? inner : rows, threads * ChunksPerThread);
        chunkLength = rows == 1 ? (inner + chunks - 1) / chunks : 0;
        nextChunk = 0;
        WorkerPool.Run(this, threads);
        (parallelLoop, parallelResult) = (null, []);
    }

    /// <summary>One thread's share of a parallel loop: chunks (of one long row, or of the rows) until none is
    /// left.</summary>
    void IPartitionedWork.Run(int part, int parts)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref nextChunk) - 1) < chunks) RunChunk(chunk, partOffsets[part]);
    }

    private void RunChunk(int chunk, int[] local)
    {
        var (fused, innerStrides) = (parallelLoop!, loop.InnerStrides);
        var (rows, inner) = (loop.Rows, loop.InnerLength);
        if (rows == 1)
        {
            var begin = chunk * chunkLength;
            var length = Math.Min(chunkLength, inner - begin);
            if (length <= 0) return;
            for (var k = 0; k < local.Length; k++) local[k] = loop.Offsets[k] + begin * innerStrides[k];
            if (fused(loopInputs.Arrays, local, innerStrides, parallelResult, length)) sawNaN = true;
            return;
        }
        for (var row = rows * chunk / chunks; row < rows * (chunk + 1) / chunks; row++)
        {
            loop.OffsetsAt(row, local);
            if (fused(loopInputs.Arrays, local, innerStrides, parallelResult, inner)) sawNaN = true;
        }
    }

    /// <summary>Each element is the body over the broadcast elements of the inputs, as the scalar tail computes
    /// it.</summary>
    public override bool Unroll(Unroller u)
    {
        if (u.ElementsOf(Slots.Inputs) is not { } inputs) return false;
        var shape = u.Recorded(Slots.Outputs[0]).Dims;
        var inputShapes = Slots.Inputs.Select(s => u.Recorded(s).Dims).ToArray();
        return u.Compute(Slots.Outputs[0], i => u.Scalar(body,
            k => inputs[k][Unroller.BroadcastIndex(i, shape, inputShapes[k])], typeof(T)));
    }

    private void ComputeShape(Frame frame) => BroadcastShape(frame, shape);
}
