using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>Theano's <c>outer</c>: the outer product of two vectors (tensors are flattened first).</summary>
    public static Variable outer(Variable x, Variable y)
    {
        var (a, b) = (x.ndim == 1 ? x : flatten(x), y.ndim == 1 ? y : flatten(y));
        return dot(a.dimshuffle(0, 'x'), b.dimshuffle('x', 0));
    }

    /// <summary>
    /// Theano's <c>tensordot</c>: the sum of products over the last <paramref name="axes"/> axes of a and the first of b
    /// (numpy's tensordot), built as Theano builds it: transposes, reshapes to matrices, one dot, a reshape.
    /// </summary>
    public static Variable tensordot(Variable a, Variable b, int axes = 2)
    {
        if (axes < 0 || axes > a.ndim || axes > b.ndim)
            throw new ArgumentException($"tensordot: cannot sum over {axes} axes of {a} ({a.type}) and {b} ({b.type}).", nameof(axes));
        return tensordot(a, b, [.. Enumerable.Range(a.ndim - axes, axes)], [.. Enumerable.Range(0, axes)]);
    }

    /// <summary>tensordot over the axes <paramref name="a_axes"/> of a paired with <paramref name="b_axes"/> of b.</summary>
    public static Variable tensordot(Variable a, Variable b, int[] a_axes, int[] b_axes)
    {
        if (a_axes.Length != b_axes.Length)
            throw new ArgumentException($"tensordot: {a_axes.Length} axes of {a} but {b_axes.Length} of {b}; they are summed in pairs.");
        var (sa, sb) = (a_axes.Select(x => ReduceAxes.Single("tensordot", a, x)).ToArray(), b_axes.Select(x => ReduceAxes.Single("tensordot", b, x)).ToArray());
        var (freeA, freeB) = (Enumerable.Range(0, a.ndim).Except(sa).ToArray(), Enumerable.Range(0, b.ndim).Except(sb).ToArray());
        Variable Length(Variable v, IEnumerable<int> axes) => ReduceAxes.Size([.. axes.Select(x => shape(v)[x])]);
        var a2 = reshape(transpose(a, [.. freeA, .. sa]), stack([Length(a, freeA), Length(a, sa)]), 2);
        var b2 = reshape(transpose(b, [.. sb, .. freeB]), stack([Length(b, sb), Length(b, freeB)]), 2);
        var product = dot(a2, b2);
        var resultShape = freeA.Select(x => shape(a)[x]).Concat(freeB.Select(x => shape(b)[x])).ToArray();
        return resultShape.Length == 0 ? reshape(product, constant(NDArray.FromArray(Array.Empty<long>())), 0)
            : reshape(product, stack(resultShape), resultShape.Length);
    }

    /// <summary>
    /// Theano's <c>batched_dot</c>: the product of each pair a[i], b[i] along the first (batch) axis; a vector in
    /// either place multiplies elementwise, as in Theano.
    /// </summary>
    public static Variable batched_dot(Variable a, Variable b)
    {
        if (a.ndim == 0 || b.ndim == 0)
            throw new ArgumentException($"batched_dot: {(a.ndim == 0 ? a : b)} must have a batch axis, got a scalar.");
        if (a.ndim == 1) return a.dimshuffle([0, .. Enumerable.Repeat<object>('x', b.ndim - 1)]) * b;
        if (b.ndim == 1) return a * b.dimshuffle([0, .. Enumerable.Repeat<object>('x', a.ndim - 1)]);
        if (a.ndim > 3 || b.ndim > 3)
            throw new ArgumentException($"batched_dot: {a} ({a.type}) and {b} ({b.type}) must have at most 3 dimensions.");
        // (B, n, m) · (B, m, p): a[:, :, :, None] * b[:, None, :, :] summed over m; matrices get a length-1 n or p
        var a3 = a.ndim == 3 ? a : a.dimshuffle(0, 'x', 1);
        var b3 = b.ndim == 3 ? b : b.dimshuffle(0, 1, 'x');
        var product = sum(a3.dimshuffle(0, 1, 2, 'x') * b3.dimshuffle(0, 'x', 1, 2), axis: 2);
        if (a.ndim == 2 && b.ndim == 2) return product.dimshuffle(0);
        if (a.ndim == 2) return product.dimshuffle(0, 2);
        return b.ndim == 2 ? product.dimshuffle(0, 1) : product;
    }

    /// <summary>
    /// Theano's <c>diag</c>: for a vector, the square matrix with it on diagonal <paramref name="k"/>; for a matrix,
    /// its diagonal k (numpy's diag).
    /// </summary>
    public static Variable diag(Variable v, int k = 0) => v.ndim switch
    {
        1 => DiagonalMatrix(v, k),
        2 => diagonal(v, k),
        _ => throw new ArgumentException($"diag: {v} must be a vector or a matrix, got {v.type}.", nameof(v)),
    };

    /// <summary>Theano's <c>diagonal</c> of a matrix: the elements (i, i + offset).</summary>
    public static Variable diagonal(Variable a, int offset = 0)
    {
        if (a.ndim != 2) throw new ArgumentException($"diagonal: {a} must be a matrix, got {a.type}.", nameof(a));
        var (rows, cols) = DiagonalPositions(shape(a)[0], shape(a)[1], offset);
        return a[rows, cols];
    }

    /// <summary>Theano's <c>trace</c>: the sum of the main diagonal.</summary>
    public static Variable trace(Variable x) => diagonal(x).sum();

    private static Variable DiagonalMatrix(Variable v, int k)
    {
        var n = add(shape(v)[0], constant((long)Math.Abs(k)));
        var (rows, cols) = DiagonalPositions(n, n, k);
        return set_subtensor(alloc(constant(NDArray.Scalar(0, v.type.dtype)), n, n)[rows, cols], v);
    }

    /// <summary>The row and column indices of diagonal k of an n × m matrix.</summary>
    private static (Variable Rows, Variable Cols) DiagonalPositions(Variable n, Variable m, int k)
    {
        var length = maximum(constant(0L), k >= 0 ? minimum(n, sub(m, constant((long)k))) : minimum(add(n, constant((long)k)), m));
        var steps = arange(length);
        return (add(steps, constant((long)Math.Max(0, -k))), add(steps, constant((long)Math.Max(0, k))));
    }

    /// <summary>Theano's <c>tensor.nlinalg</c>: the linear algebra of dense matrices.</summary>
    public static class nlinalg
    {
        /// <summary>The inverse of a square float matrix.</summary>
        public static Variable matrix_inverse(Variable x) => MatrixInverse.Op.MakeNode(x).outputs[0];

        /// <summary>The determinant of a square float matrix.</summary>
        public static Variable det(Variable x) => Det.Op.MakeNode(x).outputs[0];

        public static Variable diag(Variable v) => T.diag(v);

        public static Variable trace(Variable x) => T.trace(x);
    }
}
