using System.Runtime.InteropServices;

namespace Theon.Backends.Cpu;

/// <summary>
/// dot of float vectors and matrices straight into the planned output with <see cref="Gemm"/>. A transposed
/// operand (a DimShuffle{1,0} view, as in the gradient's <c>dot(x.T, gz)</c>) becomes GEMM's transpose flag,
/// never a copy; only an operand strided in both axes is copied.
/// </summary>
internal sealed class DotKernel<T>(NodeSlots slots) : NodeKernel(slots) where T : unmanaged
{
    private readonly int[] shape = new int[slots.Node.outputs[0].ndim];

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var (a, b) = (frame.Input(Slots.Inputs[0]), frame.Input(Slots.Inputs[1]));
        var k = a.Dims[^1];
        var kb = b.Dims[0];
        if (k != kb)
            throw new ArgumentException(
                $"dot: shapes {NDArray.ShapeString(a.shape)} and {NDArray.ShapeString(b.shape)} not aligned: {k} (dim {a.ndim - 1}) != {kb} (dim 0).");
        var m = a.ndim == 2 ? a.Dims[0] : 1;
        var n = b.ndim == 2 ? b.Dims[1] : 1;
        if (a.ndim == 2) shape[0] = m;
        if (b.ndim == 2) shape[^1] = n;
        var c = frame.Output(Slots.Outputs[0], shape);
        if (c.size == 0) return;
        var (transA, lda, arrayA, offsetA) = Layout(a, m, k);
        var (transB, ldb, arrayB, offsetB) = Layout(b, k, n);
        var spanA = arrayA.AsSpan(offsetA);
        var spanB = arrayB.AsSpan(offsetB);
        var spanC = ((T[])c.Buffer).AsSpan(0, m * n);
        var threads = Theon.T.config.EffectiveThreads;
        if (typeof(T) == typeof(double))
            Gemm.Multiply<double>(transA, transB, m, n, k, 1.0, Cast<double>(spanA), lda, Cast<double>(spanB), ldb, 0.0, Cast<double>(spanC), n, threads);
        else
            Gemm.Multiply<float>(transA, transB, m, n, k, 1f, Cast<float>(spanA), lda, Cast<float>(spanB), ldb, 0f, Cast<float>(spanC), n, threads);
    }

    private static Span<TTo> Cast<TTo>(Span<T> span) where TTo : unmanaged => MemoryMarshal.Cast<T, TTo>(span);

    /// <summary>
    /// The operand as a rows×cols row-major matrix: row-contiguous as is, column-contiguous as a transposed one.
    /// A vector is a 1×k row (left operand) or a k×1 column (right operand).
    /// </summary>
    private static (bool Transposed, int Ld, T[] Data, int Offset) Layout(NDArray x, int rows, int cols)
    {
        if (x.ndim == 1)
            return x.Strides[0] != 1 && x.Dims[0] > 1 ? Contiguous(x, rows, cols) : (false, cols, Data(x), x.Offset);
        var (rowStride, colStride) = (x.Strides[0], x.Strides[1]);
        if ((colStride == 1 || cols == 1) && rowStride >= Math.Max(1, cols)) return (false, Math.Max(rowStride, 1), Data(x), x.Offset);
        if ((rowStride == 1 || rows == 1) && colStride >= Math.Max(1, rows)) return (true, Math.Max(colStride, 1), Data(x), x.Offset);
        return Contiguous(x, rows, cols);
    }

    private static T[] Data(NDArray x) => (T[])x.Buffer;

    private static (bool, int, T[], int) Contiguous(NDArray x, int rows, int cols) =>
        (false, cols, (T[])x.Copy().Buffer, 0);
}
