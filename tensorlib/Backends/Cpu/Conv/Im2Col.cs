using System.Numerics;
using System.Numerics.Tensors;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// The column matrix of one image: row (c, ku, kv), one per filter element, holds for every output pixel the input
/// value that element multiplies (zero in the padding). With it a convolution is a GEMM by the filters seen as a
/// (filters, channels·KH·KW) matrix, in their own layout: the flip of a true convolution is in which input
/// element a row reads, never a copy of the filters.
/// </summary>
internal static class Im2Col
{
    public static int Rows(in Conv2dGeometry g) => g.Channels * g.KH * g.KW;

    /// <summary>Writes the columns of one image; row r starts at <c>r · ld</c> of <paramref name="columns"/>, so that
    /// several images can sit side by side in one matrix (ld = images · OutH · OutW).</summary>
    public static void Gather<T>(in Conv2dGeometry g, ReadOnlySpan<T> image, Span<T> columns, int ld) where T : unmanaged, INumber<T>
    {
        var pixels = g.OutH * g.OutW;
        var row = 0;
        for (var c = 0; c < g.Channels; c++)
        for (var ku = 0; ku < g.KH; ku++)
        for (var kv = 0; kv < g.KW; kv++, row++)
        {
            var (u, v) = (g.FilterRow(ku), g.FilterColumn(kv));
            var target = columns.Slice(row * ld, pixels);
            for (var i = 0; i < g.OutH; i++)
            {
                var line = target.Slice(i * g.OutW, g.OutW);
                var y = g.InputRow(i, u);
                if (y < 0 || y >= g.Height)
                {
                    line.Clear();
                    continue;
                }
                var source = image.Slice((c * g.Height + y) * g.Width, g.Width);
                var x0 = g.InputColumn(0, v);
                if (g.StrideW == 1)
                {
                    var (lo, hi) = Inside(x0, g.OutW, g.Width);
                    if (lo > 0) line[..lo].Clear();
                    CopyShort(source.Slice(x0 + lo, hi - lo), line[lo..hi]);
                    if (hi < line.Length) line[hi..].Clear();
                }
                else
                {
                    for (var j = 0; j < line.Length; j++)
                    {
                        var x = x0 + j * g.StrideW;
                        line[j] = (uint)x < (uint)g.Width ? source[x] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A copy of one output row's inputs: a few dozen elements, millions of times a training step, where a call to
    /// memmove costs more than the copy; vector-wide in place.
    /// </summary>
    private static void CopyShort<T>(ReadOnlySpan<T> source, Span<T> target) where T : unmanaged, INumber<T>
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= source.Length - Vector<T>.Count; j += Vector<T>.Count) new Vector<T>(source[j..]).CopyTo(target[j..]);
        }
        for (; j < source.Length; j++) target[j] = source[j];
    }

    /// <summary>The inverse scatter: adds each column entry into the image element it was read from.</summary>
    public static void ScatterAdd<T>(in Conv2dGeometry g, ReadOnlySpan<T> columns, int ld, Span<T> image) where T : unmanaged, INumber<T>
    {
        var pixels = g.OutH * g.OutW;
        var row = 0;
        for (var c = 0; c < g.Channels; c++)
        for (var ku = 0; ku < g.KH; ku++)
        for (var kv = 0; kv < g.KW; kv++, row++)
        {
            var (u, v) = (g.FilterRow(ku), g.FilterColumn(kv));
            var source = columns.Slice(row * ld, pixels);
            for (var i = 0; i < g.OutH; i++)
            {
                var y = g.InputRow(i, u);
                if (y < 0 || y >= g.Height) continue;
                var line = source.Slice(i * g.OutW, g.OutW);
                var target = image.Slice((c * g.Height + y) * g.Width, g.Width);
                var x0 = g.InputColumn(0, v);
                if (g.StrideW == 1)
                {
                    var (lo, hi) = Inside(x0, g.OutW, g.Width);
                    var span = target.Slice(x0 + lo, hi - lo);
                    TensorPrimitives.Add(span, line[lo..hi], span);
                }
                else
                {
                    for (var j = 0; j < line.Length; j++)
                    {
                        var x = x0 + j * g.StrideW;
                        if ((uint)x < (uint)g.Width) target[x] += line[j];
                    }
                }
            }
        }
    }

    /// <summary>The output columns [lo, hi) whose input column x0 + j lies inside the image.</summary>
    private static (int, int) Inside(int x0, int count, int width)
    {
        var lo = Math.Clamp(-x0, 0, count);
        var hi = Math.Clamp(width - x0, lo, count);
        return (lo, hi);
    }
}
