using System.Numerics;

namespace Theon.Backends.Cpu;

/// <summary>
/// The single-threaded blocked GEMM (Goto/BLIS loop nest) for one micro-kernel. A block of op(A) (Mb × Kc) is
/// packed once per depth step; for each Kc × Nb block of op(B) (packed, sized for L2) the loops walk A micro-panels
/// (Mr × Kc, small enough to stay in L1) and stream the B micro-panels past them.
/// </summary>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, INumber<T>
    where TKernel : IGemmKernel<T>
{
    // Kc·sizeof(T) = 1 KiB: a 12-row A micro-panel takes 12 KiB of L1, a Kc × Nb block of B 256 KiB of L2.
    private static int Kc => 1024 / sizeof(T);
    private static int Nb => RoundUp(256 * 1024 / (Kc * sizeof(T)), TKernel.Nr);
    private static int Mb => RoundUp(1536, TKernel.Mr);
    private const int InPlaceRows = 4;

    /// <summary>C = alpha * op(A) * op(B) + beta * C for an m × n block of C with k ≥ 1.</summary>
    public static void Multiply(int m, int n, int k, T alpha, StridedMatrix<T> a, StridedMatrix<T> b, T beta,
        T* c, nint ldc)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int kc = Math.Min(Kc, k), mb = Math.Min(Mb, RoundUp(m, mr)), nb = Math.Min(Nb, RoundUp(n, nr));
        var packedA = GemmBuffers<T>.A(mb * kc);
        var packedB = GemmBuffers<T>.B(nb * kc);
        var tile = stackalloc T[mr * nr];
        // With few rows each B panel is used by few A panels, so copying it costs more than strided reads save.
        var readInPlace = !b.Transposed && m <= InPlaceRows * mr;
        for (var i0 = 0; i0 < m; i0 += mb)
        {
            var rows = Math.Min(mb, m - i0);
            for (var p0 = 0; p0 < k; p0 += kc)
            {
                var depth = Math.Min(kc, k - p0);
                var blockBeta = p0 == 0 ? beta : T.One;
                GemmPacking.PackA(a.Slice(i0, p0), rows, depth, mr, packedA);
                for (var j0 = 0; j0 < n; j0 += nb)
                {
                    var columns = Math.Min(nb, n - j0);
                    var source = b.Slice(p0, j0);
                    var inPlace = readInPlace ? columns / nr * nr : 0;
                    GemmPacking.PackB(source.Slice(0, inPlace), depth, columns - inPlace, nr, packedB);
                    var panels = new PanelsOfB(source.Data, source.Ld, inPlace, packedB, depth);
                    MultiplyPacked(rows, columns, depth, alpha, packedA, panels, blockBeta, c + i0 * ldc + j0, ldc,
                        tile);
                }
            }
        }
    }

    private static void MultiplyPacked(int rows, int columns, int depth, T alpha, T* packedA, PanelsOfB panels,
        T beta, T* c, nint ldc, T* tile)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        for (var i = 0; i < rows; i += mr)
        {
            var panelA = packedA + i * depth;
            var height = Math.Min(mr, rows - i);
            for (var j = 0; j < columns; j += nr)
            {
                var panelB = panels.At(j, out var ldb);
                var width = Math.Min(nr, columns - j);
                var target = c + i * ldc + j;
                if (height == mr && width == nr)
                {
                    TKernel.Run(depth, panelA, panelB, ldb, target, ldc, alpha, beta);
                }
                else
                {
                    TKernel.Run(depth, panelA, panelB, ldb, tile, nr, T.One, T.Zero);
                    MergeEdge(tile, nr, target, ldc, height, width, alpha, beta);
                }
            }
        }
    }

    // Same arithmetic as the kernels' stores (alpha * s + beta * c), so edge tiles round like interior ones.
    private static void MergeEdge(T* tile, int nr, T* c, nint ldc, int height, int width, T alpha, T beta)
    {
        var read = beta != T.Zero;
        for (var i = 0; i < height; i++)
        for (var j = 0; j < width; j++)
        {
            ref var target = ref c[i * ldc + j];
            var scaled = tile[i * nr + j] * alpha;
            target = read ? scaled + beta * target : scaled;
        }
    }

    /// <summary>B's micro-panels: the first columns read in place from B's rows, the rest packed.</summary>
    private readonly struct PanelsOfB(T* source, nint ld, int inPlaceColumns, T* packed, int depth)
    {
        public T* At(int column, out nint stride)
        {
            if (column < inPlaceColumns)
            {
                stride = ld;
                return source + column;
            }
            stride = TKernel.Nr;
            return packed + (column - inPlaceColumns) * depth;
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
