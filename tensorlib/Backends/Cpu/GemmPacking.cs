using System.Numerics;

namespace Theon.Backends.Cpu;

/// <summary>
/// A row-major operand seen through an optional transpose: element (i, j) of op(X) is
/// <c>data[i * ld + j]</c>, or <c>data[j * ld + i]</c> when transposed.
/// </summary>
internal readonly unsafe struct StridedMatrix<T>(T* data, nint ld, bool transposed) where T : unmanaged
{
    public T* Data { get; } = data;
    public nint Ld { get; } = ld;
    public bool Transposed { get; } = transposed;

    public T this[int i, int j] => Transposed ? Data[j * Ld + i] : Data[i * Ld + j];

    public StridedMatrix<T> Slice(int row, int column) =>
        new(Transposed ? Data + column * Ld + row : Data + row * Ld + column, Ld, Transposed);
}

/// <summary>
/// Copies blocks of op(A) and op(B) into the micro-panel layout the kernels read: A as panels of mr rows stored
/// column by column, B as panels of nr columns stored row by row; rows or columns past the edge are zero.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs the rows × depth block at the origin of <paramref name="a"/> into panels of mr rows.</summary>
    public static void PackA<T>(StridedMatrix<T> a, int rows, int depth, int mr, T* dest)
        where T : unmanaged, INumber<T>
    {
        for (var i0 = 0; i0 < rows; i0 += mr, dest += mr * depth)
        {
            var height = Math.Min(mr, rows - i0);
            if (a.Transposed)
                PackAlongRows(a.Data + i0, a.Ld, height, depth, mr, dest);
            else
                PackAcrossRows(a.Data + i0 * a.Ld, a.Ld, height, depth, mr, dest);
        }
    }

    /// <summary>Packs the depth × columns block at the origin of <paramref name="b"/> into nr-column panels.</summary>
    public static void PackB<T>(StridedMatrix<T> b, int depth, int columns, int nr, T* dest)
        where T : unmanaged, INumber<T>
    {
        for (var j0 = 0; j0 < columns; j0 += nr, dest += nr * depth)
        {
            var width = Math.Min(nr, columns - j0);
            if (b.Transposed)
                PackAcrossRows(b.Data + j0 * b.Ld, b.Ld, width, depth, nr, dest);
            else
                PackAlongRows(b.Data + j0, b.Ld, width, depth, nr, dest);
        }
    }

    // Panel element (p, t) comes from src[p * ld + t]: each panel row is a contiguous run of the source.
    private static void PackAlongRows<T>(T* src, nint ld, int count, int depth, int panel, T* dest)
        where T : unmanaged, INumber<T>
    {
        var bytes = (uint)(count * sizeof(T));
        for (var p = 0; p < depth; p++, src += ld, dest += panel)
        {
            Buffer.MemoryCopy(src, dest, bytes, bytes);
            for (var t = count; t < panel; t++) dest[t] = T.Zero;
        }
    }

    // Panel element (p, t) comes from src[t * ld + p]: each source row scatters into one panel column.
    private static void PackAcrossRows<T>(T* src, nint ld, int count, int depth, int panel, T* dest)
        where T : unmanaged, INumber<T>
    {
        var t = 0;
        for (; t + 4 <= count; t += 4)
        {
            T* r0 = src + t * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            var d = dest + t;
            for (var p = 0; p < depth; p++, d += panel)
            {
                d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p];
            }
        }
        for (; t < count; t++)
        {
            var row = src + t * ld;
            var d = dest + t;
            for (var p = 0; p < depth; p++, d += panel) *d = row[p];
        }
        for (; t < panel; t++)
        {
            var d = dest + t;
            for (var p = 0; p < depth; p++, d += panel) *d = T.Zero;
        }
    }
}
