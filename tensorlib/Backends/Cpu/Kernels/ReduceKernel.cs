using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// sum, prod, max or min of a float array over some axes into the planned output, accumulating in float64 (as
/// the reference does) in a scratch buffer the kernel keeps.
/// </summary>
internal sealed class ReduceKernel<T> : NodeKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string kind;
    private readonly int code;   // 0 sum, 1 prod, 2 max, 3 min
    private readonly bool[] reduced;
    private readonly int[] outShape;
    private readonly int[] inShape;
    private readonly LoopNest loop;
    private readonly int[][] strides;
    private readonly int[] offsets = new int[2];
    private double[] accumulator = [];

    public ReduceKernel(NodeSlots slots, Reduce op) : base(slots)
    {
        kind = op.Kind;
        code = Code(kind);
        var ndim = slots.Node.inputs[0].ndim;
        reduced = [.. Enumerable.Range(0, ndim).Select(a => op.Axes is null || op.Axes.Contains(a))];
        outShape = new int[slots.Node.outputs[0].ndim];
        inShape = new int[ndim];
        loop = new LoopNest(2, ndim);
        strides = [new int[ndim], new int[ndim]];
    }

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        var x = frame.Input(Slots.Inputs[0]);
        for (int axis = 0, o = 0; axis < reduced.Length; axis++)
        {
            inShape[axis] = x.Dims[axis];
            if (!reduced[axis]) outShape[o++] = x.Dims[axis];
        }
        if (kind is "max" or "min" && x.size == 0)
            throw new ArgumentException(
                $"{Slots.Node.op}: zero-size array of shape {NDArray.ShapeString(x.shape)} " +
                $"has no {(kind == "max" ? "maximum" : "minimum")}.");
        var output = frame.Output(Slots.Outputs[0], outShape);
        var count = output.size;
        if (accumulator.Length < count) accumulator = new double[count];
        var acc = accumulator.AsSpan(0, count);
        acc.Fill(Seed(code));
        // The accumulator's strides: those of the output on kept axes, 0 on reduced ones.
        var stride = 1;
        for (var axis = reduced.Length - 1; axis >= 0; axis--)
        {
            strides[0][axis] = x.Strides[axis];
            strides[1][axis] = reduced[axis] ? 0 : stride;
            if (!reduced[axis]) stride *= x.Dims[axis];
        }
        offsets[0] = x.Offset;
        offsets[1] = 0;
        loop.Prepare(inShape, strides, offsets);
        var data = (T[])x.Buffer;
        if (loop.Rows > 0)
        {
            do Accumulate(data, loop.Offsets[0], loop.InnerStrides[0], acc, loop.Offsets[1], loop.InnerStrides[1],
                loop.InnerLength);
            while (loop.Next());
        }
        var result = ((T[])output.Buffer).AsSpan(0, count);
        for (var i = 0; i < count; i++) result[i] = T.CreateTruncating(acc[i]);
    }

    public override bool Unroll(Unrolled.Unroller u)
    {
        if (u.Elements(Slots.Inputs[0]) is not { } x || !u.Spend(x.Length)) return false;
        var groups = Unrolled.Unroller.ReductionGroups(u.Recorded(Slots.Inputs[0]).Dims, reduced);
        return u.Compute(Slots.Outputs[0], i => Fold(u, code, groups[i].Select(k => x[k])));
    }

    /// <summary>The unrolled fold of <paramref name="values"/>: the loop's float64 accumulation, step by
    /// step.</summary>
    internal static Expression Fold(Unrolled.Unroller u, int code, IEnumerable<Expression> values)
    {
        Expression acc = Expression.Constant(Seed(code));
        foreach (var x in values)
        {
            var value = Expression.Convert(x, typeof(double));
            acc = u.Assign(code switch
            {
                0 => Expression.Add(acc, value),   // Combine's sum and product, written out for the JIT
                1 => Expression.Multiply(acc, value),
                _ => Expression.Call(CombineMethod, Expression.Constant(code), acc, value),
            });
        }
        return Expression.Convert(acc, typeof(T));
    }

    private static readonly MethodInfo CombineMethod =
        typeof(ReduceKernel<T>).GetMethod(nameof(Combine), BindingFlags.NonPublic | BindingFlags.Static)!;

    private void Accumulate(T[] x, int xi, int xs, Span<double> acc, int ai, int @as, int n) =>
        Accumulate(code, x, xi, xs, acc, ai, @as, n);

    /// <summary>Folds n elements of x (from xi, step xs) into acc (from ai, step @as; 0 folds them all into
    /// one).</summary>
    internal static void Accumulate(int code, T[] x, int xi, int xs, Span<double> acc, int ai, int @as, int n)
    {
        if (@as == 0)
        {
            var a = acc[ai];
            for (var j = 0; j < n; j++, xi += xs) a = Combine(code, a, double.CreateTruncating(x[xi]));
            acc[ai] = a;
            return;
        }
        if (code == 0 && xs == 1 && @as == 1)
        {
            AddWidened(x.AsSpan(xi, n), acc.Slice(ai, n));
            return;
        }
        for (var j = 0; j < n; j++, xi += xs, ai += @as) acc[ai] = Combine(code, acc[ai],
            double.CreateTruncating(x[xi]));
    }

    /// <summary>acc[j] += x[j] in float64, vector-wide: each element's sum in the same order as the scalar loop (a
    /// sum over a leading axis, a bias's gradient).</summary>
    private static void AddWidened(ReadOnlySpan<T> x, Span<double> acc)
    {
        var j = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            var floats = MemoryMarshal.Cast<T, float>(x);
            for (; j <= x.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(floats.Slice(j, Vector256<float>.Count)));
                (Vector256.Create(acc.Slice(j, 4)) + low).CopyTo(acc.Slice(j, 4));
                (Vector256.Create(acc.Slice(j + 4, 4)) + high).CopyTo(acc.Slice(j + 4, 4));
            }
        }
        else if (typeof(T) == typeof(double) && Vector256.IsHardwareAccelerated)
        {
            var doubles = MemoryMarshal.Cast<T, double>(x);
            for (; j <= x.Length - Vector256<double>.Count; j += Vector256<double>.Count)
                (Vector256.Create(acc.Slice(j, 4)) + Vector256.Create(doubles.Slice(j, 4))).CopyTo(acc.Slice(j, 4));
        }
        for (; j < x.Length; j++) acc[j] += double.CreateTruncating(x[j]);
    }

    internal static double Seed(int code) => code switch { 0 => 0, 1 => 1, 2 => double.NegativeInfinity, _ =>
        double.PositiveInfinity };

    internal static int Code(string kind) => Array.IndexOf(["sum", "prod", "max", "min"], kind);

    private static double Combine(int code, double a, double x) => code switch
    {
        0 => a + x,
        1 => a * x,
        2 => double.IsNaN(a) || double.IsNaN(x) ? double.NaN : Math.Max(a, x),
        _ => double.IsNaN(a) || double.IsNaN(x) ? double.NaN : Math.Min(a, x),
    };
}
