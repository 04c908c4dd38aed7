namespace Theon.Ops;

/// <summary>LU factorization with partial pivoting of a square float64 matrix, the reference for inverse and det.</summary>
internal sealed class LuDecomposition
{
    private readonly double[,] lu;
    private readonly int[] pivots;
    private readonly int sign;

    public LuDecomposition(NDArray matrix)
    {
        var n = matrix.shape[0];
        var values = matrix.ToFlatArray<double>();
        lu = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) lu[i, j] = values[i * n + j];
        pivots = [.. Enumerable.Range(0, n)];
        sign = 1;
        for (var k = 0; k < n; k++)
        {
            var p = k;
            for (var i = k + 1; i < n; i++) if (Math.Abs(lu[i, k]) > Math.Abs(lu[p, k])) p = i;
            if (p != k)
            {
                for (var j = 0; j < n; j++) (lu[k, j], lu[p, j]) = (lu[p, j], lu[k, j]);
                (pivots[k], pivots[p]) = (pivots[p], pivots[k]);
                sign = -sign;
            }
            if (lu[k, k] == 0) continue;
            for (var i = k + 1; i < n; i++)
            {
                lu[i, k] /= lu[k, k];
                for (var j = k + 1; j < n; j++) lu[i, j] -= lu[i, k] * lu[k, j];
            }
        }
    }

    public int Size => pivots.Length;

    public bool IsSingular => Enumerable.Range(0, Size).Any(i => lu[i, i] == 0);

    public double Determinant => Enumerable.Range(0, Size).Aggregate((double)sign, (d, i) => d * lu[i, i]);

    /// <summary>The inverse, column by column: solve L U x = P e_j.</summary>
    public double[,] Inverse()
    {
        var n = Size;
        var inverse = new double[n, n];
        var column = new double[n];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < n; i++) column[i] = pivots[i] == j ? 1 : 0;
            for (var i = 0; i < n; i++) for (var k = 0; k < i; k++) column[i] -= lu[i, k] * column[k];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var k = i + 1; k < n; k++) column[i] -= lu[i, k] * column[k];
                column[i] /= lu[i, i];
            }
            for (var i = 0; i < n; i++) inverse[i, j] = column[i];
        }
        return inverse;
    }

    /// <summary>The input of a square-matrix op: a float matrix, checked by name.</summary>
    public static Variable CheckSquare(string op, Variable x)
    {
        if (x.ndim != 2) throw new ArgumentException($"{op}: {x} must be a matrix, got {x.type}.");
        if (!x.type.dtype.IsFloat) throw new ArgumentException($"{op}: {x} must hold floats, got {x.type}; cast it first.");
        return x;
    }

    public static void CheckSquare(string op, Apply node, NDArray x)
    {
        if (x.shape[0] != x.shape[1])
            throw new ArgumentException($"{op}: {node.inputs[0]} must be square, got shape {NDArray.ShapeString(x.shape)}.");
    }
}
