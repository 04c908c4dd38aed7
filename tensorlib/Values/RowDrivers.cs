using System.Diagnostics;

namespace Theon.Values;

/// <summary>An elementwise function of one value; a span overload may vectorize the contiguous case.</summary>
internal interface IUnaryOp<TIn, TOut>
{
    static abstract TOut Invoke(TIn x);

    /// <summary>Whether the span overload is implemented (by a vectorized primitive).</summary>
    static virtual bool Vectorizable => false;
    static virtual void Invoke(ReadOnlySpan<TIn> x, Span<TOut> destination) => throw new UnreachableException();
}

/// <summary>An elementwise function of two values, with optional vectorized span overloads.</summary>
internal interface IBinaryOp<TIn, TOut>
{
    static abstract TOut Invoke(TIn x, TIn y);
    static virtual bool Vectorizable => false;
    static virtual void Invoke(ReadOnlySpan<TIn> x, ReadOnlySpan<TIn> y, Span<TOut> d) =>
        throw new UnreachableException();
    static virtual void Invoke(ReadOnlySpan<TIn> x, TIn y, Span<TOut> d) => throw new UnreachableException();
    static virtual void Invoke(TIn x, ReadOnlySpan<TIn> y, Span<TOut> d) => throw new UnreachableException();
}

/// <summary>The shared drivers: walk strided, broadcast operands and call an operator struct per row.</summary>
internal static class RowDrivers
{
    /// <summary>destination[i] = TOp(source[i]); source is broadcast to the destination's shape.</summary>
    public static void Unary<TIn, TOut, TOp>(NDArray source, NDArray destination)
        where TIn : unmanaged where TOut : unmanaged where TOp : IUnaryOp<TIn, TOut>
    {
        var x = source.Storage<TIn>();
        var d = destination.Storage<TOut>();
        var src = source.BroadcastTo(destination.Dims);
        if (src.IsContiguous && destination.IsContiguous)
        {
            var xs = x.Slice(src.Offset, destination.size);
            var ds = d.Slice(destination.Offset, destination.size);
            if (TOp.Vectorizable)
                TOp.Invoke(xs, ds);
            else
                for (var i = 0; i < ds.Length; i++)
                    ds[i] = TOp.Invoke(xs[i]);
            return;
        }
        var loop = new StridedLoop(destination.Dims, [src.Strides, destination.Strides],
            [src.Offset, destination.Offset]);
        if (loop.IsEmpty)
            return;
        var n = loop.InnerLength;
        var sx = loop.InnerStrides[0];
        var sd = loop.InnerStrides[1];
        if (!TOp.Vectorizable)
        {
            do
            {
                var (ox, od) = (loop.Offsets[0], loop.Offsets[1]);
                for (var i = 0; i < n; i++)
                    d[od + i * sd] = TOp.Invoke(x[ox + i * sx]);
            }
            while (loop.Next());
            return;
        }
        // Strided rows are gathered into a buffer so that they take the vectorized routine too.
        var gathered = sx == 1 ? null : new TIn[n];
        var computed = sd == 1 ? null : new TOut[n];
        do
        {
            var (ox, od) = (loop.Offsets[0], loop.Offsets[1]);
            ReadOnlySpan<TIn> row = gathered ?? x.Slice(ox, n);
            if (gathered is not null)
                for (var i = 0; i < n; i++)
                    gathered[i] = x[ox + i * sx];
            TOp.Invoke(row, computed ?? d.Slice(od, n));
            if (computed is not null)
                for (var i = 0; i < n; i++)
                    d[od + i * sd] = computed[i];
        }
        while (loop.Next());
    }

    /// <summary>destination[i] = TOp(a[i], b[i]); a and b are broadcast to the destination's shape.</summary>
    public static void Binary<TIn, TOut, TOp>(NDArray a, NDArray b, NDArray destination)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        var x = a.Storage<TIn>();
        var y = b.Storage<TIn>();
        var d = destination.Storage<TOut>();
        var av = a.BroadcastTo(destination.Dims);
        var bv = b.BroadcastTo(destination.Dims);
        var loop = new StridedLoop(destination.Dims, [av.Strides, bv.Strides, destination.Strides],
            [av.Offset, bv.Offset, destination.Offset]);
        if (loop.IsEmpty)
            return;
        var n = loop.InnerLength;
        var (sx, sy, sd) = (loop.InnerStrides[0], loop.InnerStrides[1], loop.InnerStrides[2]);
        do
        {
            var (ox, oy, od) = (loop.Offsets[0], loop.Offsets[1], loop.Offsets[2]);
            if (TOp.Vectorizable && sd == 1 && TryRow<TIn, TOut, TOp>(x, ox, sx, y, oy, sy, d.Slice(od, n)))
                continue;
            for (var i = 0; i < n; i++)
                d[od + i * sd] = TOp.Invoke(x[ox + i * sx], y[oy + i * sy]);
        }
        while (loop.Next());
    }

    private static bool TryRow<TIn, TOut, TOp>(Span<TIn> x, int ox, int sx, Span<TIn> y, int oy, int sy, Span<TOut> d)
        where TOp : IBinaryOp<TIn, TOut>
    {
        var n = d.Length;
        switch (sx, sy)
        {
            case (1, 1):
                TOp.Invoke(x.Slice(ox, n), y.Slice(oy, n), d);
                return true;
            case (1, 0):
                TOp.Invoke(x.Slice(ox, n), y[oy], d);
                return true;
            case (0, 1):
                TOp.Invoke(x[ox], y.Slice(oy, n), d);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A new contiguous array of <paramref name="dtype"/> shaped like the broadcast of the operands.</summary>
    public static NDArray Output(DType dtype, params NDArray[] operands) =>
        new(dtype, Shapes.Broadcast(operands.Select(o => o.Dims).ToArray()));
}
