using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// <see cref="Dot"/>, <see cref="Dot22"/> and <see cref="Ops.Gemm"/> of float vectors and matrices straight into the
/// planned output with the packed GEMM. A transposed operand — a flag of the op, or a column-major view — becomes
/// GEMM's transpose flag, never a copy; only an operand strided in both axes is copied. Gemm copies c into the
/// output, then accumulates with beta = 1.
/// </summary>
internal sealed class DotKernel<T> : NodeKernel where T : unmanaged
{
    private readonly int[] shape;
    private readonly bool transA, transB, accumulate;
    private readonly double alpha;

    public DotKernel(NodeSlots slots) : base(slots)
    {
        shape = new int[slots.Node.outputs[0].ndim];
        (transA, transB, alpha, accumulate) = slots.Node.op switch
        {
            Dot22 d => (d.TransA, d.TransB, 1.0, false),
            Ops.Gemm g => (g.TransA, g.TransB, g.Alpha, true),
            _ => (false, false, 1.0, false),
        };
    }

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var first = accumulate ? 1 : 0;
        var (a, b) = (frame.Input(Slots.Inputs[first]), frame.Input(Slots.Inputs[first + 1]));
        var (m, k) = a.ndim == 1 ? (1, a.Dims[0]) : transA ? (a.Dims[1], a.Dims[0]) : (a.Dims[0], a.Dims[1]);
        var (kb, n) = b.ndim == 1 ? (b.Dims[0], 1) : transB ? (b.Dims[1], b.Dims[0]) : (b.Dims[0], b.Dims[1]);
        if (k != kb) throw NotAligned(a, b, k, kb);
        if (a.ndim == 2) shape[0] = m;
        if (b.ndim == 2) shape[^1] = n;
        var c = frame.Output(Slots.Outputs[0], shape);
        var beta = 0.0;
        if (accumulate)
        {
            var initial = frame.Input(Slots.Inputs[0]);
            if (!initial.Dims.AsSpan().SequenceEqual(shape))
                throw new ArgumentException(
                    $"{Slots.Node.op}: c has shape {NDArray.ShapeString(initial.shape)}, " +
                    $"the product {NDArray.ShapeString(c.shape)}.");
            c.CopyFrom(initial);
            beta = 1;
        }
        if (c.size == 0) return;
        var (flagA, lda, arrayA, offsetA) = Layout(a, m, k, transA);
        var (flagB, ldb, arrayB, offsetB) = Layout(b, k, n, transB);
        var spanA = arrayA.AsSpan(offsetA);
        var spanB = arrayB.AsSpan(offsetB);
        var spanC = ((T[])c.Buffer).AsSpan(0, m * n);
        var threads = Theon.T.config.EffectiveThreads;
        if (typeof(T) == typeof(double))
            Cpu.PackedGemm.Multiply<double>(flagA, flagB, m, n, k, alpha, Cast<double>(spanA), lda, Cast<double>(spanB), ldb,
                beta, Cast<double>(spanC), n, threads);
        else
            Cpu.PackedGemm.Multiply<float>(flagA, flagB, m, n, k, (float)alpha, Cast<float>(spanA), lda, Cast<float>(spanB),
                ldb, (float)beta, Cast<float>(spanC), n, threads);
    }

    /// <summary>Each element is the sum of products in order of the inner index (plus c, times alpha, for
    /// Gemm).</summary>
    public override bool Unroll(Unrolled.Unroller u)
    {
        var first = accumulate ? 1 : 0;
        if (u.Elements(Slots.Inputs[first]) is not { } a || u.Elements(Slots.Inputs[first + 1]) is not { } b)
            return false;
        var c = accumulate ? u.Elements(Slots.Inputs[0]) : [];
        if (c is null) return false;
        var (ra, rb) = (u.Recorded(Slots.Inputs[first]), u.Recorded(Slots.Inputs[first + 1]));
        var (m, k) = ra.ndim == 1 ? (1, ra.Dims[0]) : transA ? (ra.Dims[1], ra.Dims[0]) : (ra.Dims[0], ra.Dims[1]);
        var n = rb.ndim == 1 ? 1 : transB ? rb.Dims[0] : rb.Dims[1];
        Expression A(int i, int l) => ra.ndim == 1 ? a[l] : transA ? a[l * m + i] : a[i * k + l];
        Expression B(int l, int j) => rb.ndim == 1 ? b[l] : transB ? b[j * k + l] : b[l * n + j];
        if (!u.Spend((long)m * n * k)) return false;
        var zero = Expression.Constant(default(T), typeof(T));
        var scale = Expression.Constant(Convert.ChangeType(alpha, typeof(T)), typeof(T));
        return u.Compute(Slots.Outputs[0], flat =>
        {
            var (i, j) = (flat / n, flat % n);
            Expression sum = k == 0 ? zero : Expression.Multiply(A(i, 0), B(0, j));
            for (var l = 1; l < k; l++) sum = Expression.Add(sum, Expression.Multiply(A(i, l), B(l, j)));
            return accumulate ? Expression.Add(c[flat], Expression.Multiply(scale, sum)) : sum;
        });
    }

    private ArgumentException NotAligned(NDArray a, NDArray b, int k, int kb)
    {
        var first = accumulate ? 1 : 0;
        var x = Ops.InputNames.Describe(Slots.Node.inputs[first]);
        var y = Ops.InputNames.Describe(Slots.Node.inputs[first + 1]);
        var name = Slots.Node.op is Dot ? "dot" : Slots.Node.op.Name;
        return new ArgumentException(
            $"{name}({x}, {y}): shapes {NDArray.ShapeString(a.shape)} and {NDArray.ShapeString(b.shape)} " +
            $"not aligned: {k} != {kb}.");
    }

    private static Span<TTo> Cast<TTo>(Span<T> span) where TTo : unmanaged => MemoryMarshal.Cast<T, TTo>(span);

    /// <summary>
    /// The operand as a rows×cols matrix in row-major terms: row-contiguous as is, column-contiguous as a transposed
    /// one. A vector is a 1×k row (left operand) or a k×1 column (right operand).
    /// </summary>
    private static (bool Transposed, int Ld, T[] Data, int Offset) Layout(NDArray x, int rows, int cols,
        bool transposed)
    {
        if (x.ndim == 1)
            return x.Strides[0] != 1 && x.Dims[0] > 1 ? Contiguous(x, cols, false) : (false, cols, Data(x), x.Offset);
        var (rowStride, colStride) = transposed ? (x.Strides[1], x.Strides[0]) : (x.Strides[0], x.Strides[1]);
        if ((colStride == 1 || cols == 1) && rowStride >= Math.Max(1, cols))
            return (false, Math.Max(rowStride, 1), Data(x), x.Offset);
        if ((rowStride == 1 || rows == 1) && colStride >= Math.Max(1, rows))
            return (true, Math.Max(colStride, 1), Data(x), x.Offset);
        return Contiguous(x, cols, transposed);
    }

    private static T[] Data(NDArray x) => (T[])x.Buffer;

    private static (bool, int, T[], int) Contiguous(NDArray x, int cols, bool transposed) =>
        (false, cols, (T[])(transposed ? x.transpose(1, 0) : x).Copy().Buffer, 0);
}
