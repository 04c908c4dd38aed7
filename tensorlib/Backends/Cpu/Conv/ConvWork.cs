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
    // Images side by side in one GEMM: at least about this many output pixels (small maps, 8 × 8, make GEMMs too
    // narrow to run at speed one image at a time), or as many as keep the column matrix within ColumnBytes (few
    // channels, as in a first layer, make its rows short).
    private const int GroupPixels = 256;
    private const int ColumnBytes = 256 * 1024;

    private T[]?[] columns = [];
    private T[]?[] staging = [];

    protected Conv2dGeometry G { get; private set; }

    public override bool WritesPlannedOutputs => true;

    /// <summary>Runs <see cref="RunImages"/> over the batch with as many parts as threads (at most one per image).</summary>
    protected int RunBatch(in Conv2dGeometry g)
    {
        G = g;
        var parts = Math.Max(1, Math.Min(Theon.T.config.EffectiveThreads, g.Batch));
        if (columns.Length < parts) Array.Resize(ref columns, parts);
        if (staging.Length < parts) Array.Resize(ref staging, parts);
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

    /// <summary>How many images one GEMM takes.</summary>
    protected int GroupSize
    {
        get
        {
            var pixels = Math.Max(1, G.OutH * G.OutW);
            var bytesPerImage = (long)Im2Col.Rows(G) * pixels * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var images = Math.Max(GroupPixels / pixels, (int)Math.Min(int.MaxValue, ColumnBytes / Math.Max(1, bytesPerImage)));
            return Math.Clamp(images, 1, Math.Max(1, G.Batch));
        }
    }

    /// <summary>This part's column matrix, (channels·KH·KW) × (group · OutH·OutW).</summary>
    protected Span<T> Columns(int part) => Buffer(ref columns[part], Im2Col.Rows(G) * GroupSize * G.OutH * G.OutW);

    /// <summary>This part's (filters) × (group · OutH·OutW) matrix: a group's outputs or output gradients side by side.</summary>
    protected Span<T> Staging(int part) => Buffer(ref staging[part], G.Filters * GroupSize * G.OutH * G.OutW);

    private static Span<T> Buffer(ref T[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size) buffer = new T[size];
        return buffer.AsSpan(0, size);
    }

    /// <summary>Copies between per-image (filters × pixels) blocks and the side-by-side matrix of a group.</summary>
    protected static void Interleave(ReadOnlySpan<T> source, Span<T> target, int images, int filters, int pixels, bool toGroup)
    {
        var ld = images * pixels;
        for (var i = 0; i < images; i++)
        for (var k = 0; k < filters; k++)
        {
            var (perImage, grouped) = ((i * filters + k) * pixels, k * ld + i * pixels);
            if (toGroup) source.Slice(perImage, pixels).CopyTo(target.Slice(grouped, pixels));
            else source.Slice(grouped, pixels).CopyTo(target.Slice(perImage, pixels));
        }
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
