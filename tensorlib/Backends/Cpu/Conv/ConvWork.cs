using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// What the three convolution kernels share: a batch split over the <see cref="WorkerPool"/> (each part a range of
/// images, its GEMMs on its own thread) and one column buffer per part, kept across calls so that a steady call
/// allocates nothing.
/// </summary>
internal abstract class ConvWork<T>(NodeSlots slots) : NodeKernel(slots), IPartitionedWork
    where T : unmanaged, INumber<T>
{
    private T[][] columns = [];

    protected Conv2dGeometry G { get; private set; }

    public override bool WritesPlannedOutputs => true;

    /// <summary>Runs <see cref="RunImages"/> over the batch with as many parts as threads (at most one per image).</summary>
    protected int RunBatch(in Conv2dGeometry g)
    {
        G = g;
        var parts = Math.Max(1, Math.Min(Theon.T.config.EffectiveThreads, g.Batch));
        if (columns.Length < parts) Array.Resize(ref columns, parts);
        WorkerPool.Run(this, parts);
        return parts;
    }

    public void Run(int part, int parts)
    {
        var start = (int)((long)G.Batch * part / parts);
        var end = (int)((long)G.Batch * (part + 1) / parts);
        RunImages(part, start, end);
    }

    protected abstract void RunImages(int part, int start, int end);

    /// <summary>This part's column matrix, (channels·KH·KW) × (OutH·OutW).</summary>
    protected Span<T> Columns(int part)
    {
        var size = Im2Col.Rows(G) * G.OutH * G.OutW;
        if (columns[part] is not { } buffer || buffer.Length < size) columns[part] = buffer = new T[size];
        return buffer.AsSpan(0, size);
    }

    protected static ReadOnlySpan<T> Elements(NDArray a) => ((T[])a.Buffer).AsSpan(a.Offset, a.size);

    protected static NDArray Contiguous(NDArray a) => a.IsContiguous ? a : a.Copy();

    protected static void Gemm(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, bool accumulate, Span<T> c) =>
        PackedGemm.Multiply(transA, transB, m, n, k, T.One, a, lda, b, ldb, accumulate ? T.One : T.Zero, c, n, 1);

    /// <summary>Entry <paramref name="i"/> of a small integer vector (the size input of the gradient ops), without a copy.</summary>
    protected static int SizeEntry(NDArray size, int i)
    {
        if (size.ndim != 1 || size.Dims[0] != 2)
            throw new ArgumentException($"{size.ndim}-d shape input of shape {NDArray.ShapeString(size.shape)}, expected 2 entries.");
        var at = size.Offset + i * size.Strides[0];
        return size.Buffer switch
        {
            long[] v => (int)v[at],
            int[] v => v[at],
            _ => (int)size.GetItem<long>(i),
        };
    }
}
