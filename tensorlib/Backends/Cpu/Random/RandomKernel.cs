using Theon.Ops.Random;

namespace Theon.Backends.Cpu.Random;

/// <summary>
/// The CPU kernel of the draws that training graphs make in bulk: uniform (float32, float64) and Bernoulli masks
/// (binomial with n = 1, float32), with scalar parameters. Philox blocks are split over the <see cref="WorkerPool"/>
/// by counter ranges and written straight into the planned output buffer; each block's elements depend only on its
/// counter, so the numbers are those of <c>Perform</c> whatever the thread count. A node it cannot take (other
/// dtypes or distributions, parameters that are tensors) runs <c>Perform</c>; so does a call with an argument the op
/// refuses (a negative size, p outside [0, 1]), so that the error is the op's.
/// </summary>
internal abstract class RandomKernel(NodeSlots slots) : NodeKernel(slots)
{
    /// <summary>Draws of at least this many elements are split across threads.</summary>
    private const int ParallelThreshold = 1 << 16;

    private const int ChunksPerThread = 8;

    public static NodeKernel? Create(NodeSlots slots)
    {
        var node = slots.Node;
        if (node.inputs.Skip(2).Any(p => p.ndim != 0)) return null;
        return node.op switch
        {
            Uniform { DType.Name: "float32" } => new Float32Uniform(slots),
            Uniform { DType.Name: "float64" } => new Float64Uniform(slots),
            Binomial { DType.Name: "float32" } when node.inputs[2] is Constant { ScalarValue: 1 } => new Float32Bernoulli(slots),
            _ => null,
        };
    }

    public override bool WritesPlannedOutputs => true;

    private static readonly int[] StateShape = [2];
    private readonly int[] shape = new int[slots.Node.outputs[1].ndim];
    private readonly double[] parameters = new double[slots.Inputs.Length - 2];

    public override void Run(Frame frame)
    {
        var state = frame.Input(Slots.Inputs[0]);
        var size = frame.Input(Slots.Inputs[1]);
        for (var i = 0; i < parameters.Length; i++) parameters[i] = (double)frame.Input(Slots.Inputs[i + 2]);
        if (!Accepts(parameters) || !ReadShape(size) || state.size != 2 || state.DType != DType.Int64)
        {
            RunPerform(frame);
            return;
        }
        var values = state.ToFlatArray<long>();
        var stream = new StreamState((ulong)values[0], (ulong)values[1]);
        var words = Draw(stream, frame.Output(Slots.Outputs[1], shape), parameters);
        var next = frame.Output(Slots.Outputs[0], StateShape).Span<long>();
        (next[0], next[1]) = (values[0], (long)stream.Advance(words).Counter);
    }

    private void RunPerform(Frame frame)
    {
        var inputs = Slots.Inputs.Select(frame.Input).ToArray();
        var outputs = Slots.Node.op.Perform(Slots.Node, inputs);
        for (var i = 0; i < outputs.Length; i++) frame.Set(Slots.Outputs[i], outputs[i]);
    }

    private bool ReadShape(NDArray size)
    {
        if (size.size != shape.Length) return false;
        var lengths = size.ToFlatArray<long>();
        for (var i = 0; i < shape.Length; i++)
        {
            if (lengths[i] is < 0 or > int.MaxValue) return false;
            shape[i] = (int)lengths[i];
        }
        return true;
    }

    protected virtual bool Accepts(double[] parameters) => true;

    /// <summary>Fills <paramref name="sample"/> and returns the number of 32-bit words drawn.</summary>
    protected abstract long Draw(StreamState stream, NDArray sample, double[] parameters);

    /// <summary>The draw of one element type and writer, split over the worker pool by counter ranges.</summary>
    protected sealed class Generator<T, TWriter> : IPartitionedWork
        where T : unmanaged where TWriter : struct, IBlockWriter<T>
    {
        private StreamState stream;
        private T[] array = [];
        private int offset, length;
        private long blocks;
        private TWriter writer;
        private int nextChunk;

        public long Run(StreamState state, NDArray sample, TWriter blockWriter)
        {
            (stream, array, offset, length, writer) = (state, (T[])sample.Buffer, sample.Offset, sample.size, blockWriter);
            blocks = ((long)length + TWriter.ElementsPerBlock - 1) / TWriter.ElementsPerBlock;
            var threads = Theon.T.config.EffectiveThreads;
            nextChunk = 0;
            if (threads > 1 && length >= ParallelThreshold) WorkerPool.Run(this, threads);
            else Fill(stream, array.AsSpan(offset, length), 0, blocks, writer);
            array = [];
            return blocks * 4;
        }

        // Eight chunks per thread, claimed one at a time, so that a thread another process delays takes fewer.
        void IPartitionedWork.Run(int part, int parts)
        {
            var chunks = parts * ChunksPerThread;
            var share = (blocks + chunks - 1) / chunks;
            share = (share + 15) / 16 * 16;
            for (var chunk = Interlocked.Increment(ref nextChunk) - 1; chunk < chunks; chunk = Interlocked.Increment(ref nextChunk) - 1)
            {
                var first = Math.Min(blocks, chunk * share);
                Fill(stream, array.AsSpan(offset, length), first, Math.Min(blocks, first + share), writer);
            }
        }
    }

    /// <summary>Draws of at least this many bytes stream their stores past the caches.</summary>
    private const int StreamingBytes = 1 << 20;

    /// <summary>Blocks <c>[first, end)</c> of the draw into their elements of <paramref name="output"/>.</summary>
    internal static unsafe void Fill<T, TWriter>(StreamState stream, Span<T> output, long first, long end, TWriter writer)
        where T : unmanaged where TWriter : struct, IBlockWriter<T>
    {
        var perBlock = TWriter.ElementsPerBlock;
        var block = first;
        if (PhiloxLanes.IsSupported && block + 16 <= end && (block + 16) * perBlock <= output.Length)
        {
            fixed (T* start = output)
            {
                var streaming = (long)output.Length * sizeof(T) >= StreamingBytes;
                var stores = new LineStores<T>(start + block * perBlock, streaming);
                for (; block + 16 <= end && (block + 16) * perBlock <= output.Length; block += 16)
                {
                    var ((a0, a1, a2, a3), (b0, b1, b2, b3)) = PhiloxLanes.Blocks16(stream.Key, stream.Counter + (ulong)block);
                    var (v0, v1) = writer.Write(a0, a1, a2, a3);
                    var (v2, v3) = writer.Write(b0, b1, b2, b3);
                    stores.Put(v0);
                    stores.Put(v1);
                    stores.Put(v2);
                    stores.Put(v3);
                }
                stores.Finish();
            }
        }
        for (; block < end; block++)
        {
            var (x0, x1, x2, x3) = stream.Block((ulong)block);
            var at = (int)(block * perBlock);
            writer.Write(x0, x1, x2, x3, output.Slice(at, Math.Min(perBlock, output.Length - at)));
        }
    }

    private sealed class Float32Uniform(NodeSlots slots) : RandomKernel(slots)
    {
        private readonly Generator<float, UniformSingle> generator = new();

        protected override long Draw(StreamState stream, NDArray sample, double[] p) =>
            generator.Run(stream, sample, new UniformSingle((float)p[0], (float)p[1]));
    }

    private sealed class Float64Uniform(NodeSlots slots) : RandomKernel(slots)
    {
        private readonly Generator<double, UniformDouble> generator = new();

        protected override long Draw(StreamState stream, NDArray sample, double[] p) =>
            generator.Run(stream, sample, new UniformDouble(p[0], p[1]));
    }

    private sealed class Float32Bernoulli(NodeSlots slots) : RandomKernel(slots)
    {
        private readonly Generator<float, BernoulliSingle> generator = new();

        protected override bool Accepts(double[] p) => p[0] == 1 && p[1] is >= 0 and <= 1;

        protected override long Draw(StreamState stream, NDArray sample, double[] p) =>
            generator.Run(stream, sample, new BernoulliSingle(p[1]));
    }
}
