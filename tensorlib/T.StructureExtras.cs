using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>Theano's <c>as_tensor_variable</c>: a variable as it is, anything else (a number, an array) as a constant.</summary>
    public static Variable as_tensor_variable(object x) => x as Variable ?? constant(x);

    /// <summary>
    /// Theano's <c>clone(output, replace)</c>: the graph of <paramref name="output"/> rebuilt with the variables of
    /// <paramref name="replace"/> replaced (each replacement must have the type of what it replaces); nodes whose inputs
    /// do not change are shared, and the original graph is unchanged.
    /// </summary>
    public static Variable clone(Variable output, IReadOnlyDictionary<Variable, Variable>? replace = null) =>
        clone([output], replace)[0];

    public static Variable[] clone(IReadOnlyList<Variable> outputs, IReadOnlyDictionary<Variable, Variable>? replace = null)
    {
        foreach (var (from, to) in replace ?? new Dictionary<Variable, Variable>())
        {
            if (from.type != to.type)
                throw new ArgumentException($"clone: {to} ({to.type}) cannot replace {from} ({from.type}); the types differ.", nameof(replace));
        }
        return GraphWalk.Replace(outputs, replace ?? new Dictionary<Variable, Variable>());
    }

    /// <summary>Theano's <c>join(axis, *tensors)</c>: the tensors joined along an existing axis.</summary>
    public static Variable join(int axis, params Variable[] tensors) => concatenate(tensors, axis);

    /// <summary>Theano's <c>split</c>: <paramref name="x"/> cut along <paramref name="axis"/> into parts of the given lengths.</summary>
    public static Variable[] split(Variable x, Variable splits_size, int n_splits, int axis = 0) =>
        [.. new Split(n_splits, ReduceAxes.Single("split", x, axis)).MakeNode(x, splits_size).outputs];

    public static Variable[] split(Variable x, long[] splits_size, int axis = 0) =>
        split(x, constant(NDArray.FromArray(splits_size)), splits_size.Length, axis);

    /// <summary>Theano's <c>shape_padleft</c>: <paramref name="n_ones"/> broadcastable axes added on the left.</summary>
    public static Variable shape_padleft(Variable t, int n_ones = 1) =>
        dimshuffle(t, [.. Enumerable.Repeat<object>('x', n_ones), .. Enumerable.Range(0, t.ndim).Cast<object>()]);

    /// <summary>Theano's <c>shape_padright</c>: <paramref name="n_ones"/> broadcastable axes added on the right.</summary>
    public static Variable shape_padright(Variable t, int n_ones = 1) =>
        dimshuffle(t, [.. Enumerable.Range(0, t.ndim).Cast<object>(), .. Enumerable.Repeat<object>('x', n_ones)]);

    /// <summary>Theano's <c>shape_padaxis</c>: a broadcastable axis inserted at <paramref name="axis"/>.</summary>
    public static Variable shape_padaxis(Variable t, int axis)
    {
        var at = axis < 0 ? axis + t.ndim + 1 : axis;
        if (at < 0 || at > t.ndim) throw new ArgumentException($"shape_padaxis: axis {axis} is out of range for {t} of type {t.type}.");
        return dimshuffle(t, [.. Enumerable.Range(0, at).Cast<object>(), 'x', .. Enumerable.Range(at, t.ndim - at).Cast<object>()]);
    }

    /// <summary>Theano's <c>addbroadcast</c>: the axes marked broadcastable; a call checks that they have length 1.</summary>
    public static Variable addbroadcast(Variable x, params int[] axes) => Rebroadcasting(x, axes.Select(a => (a, true)));

    /// <summary>Theano's <c>unbroadcast</c>: the axes no longer marked broadcastable.</summary>
    public static Variable unbroadcast(Variable x, params int[] axes) => Rebroadcasting(x, axes.Select(a => (a, false)));

    /// <summary>Theano's <c>patternbroadcast</c>: the broadcastable flags set to <paramref name="broadcastable"/>.</summary>
    public static Variable patternbroadcast(Variable x, bool[] broadcastable)
    {
        if (broadcastable.Length != x.ndim)
            throw new ArgumentException($"patternbroadcast: the pattern has {broadcastable.Length} flags for {x} with {x.ndim} dimension(s).");
        return Rebroadcasting(x, broadcastable.Select((b, a) => (a, b)).Where(p => x.type.broadcastable[p.a] != p.b));
    }

    private static Variable Rebroadcasting(Variable x, IEnumerable<(int Axis, bool Value)> axes)
    {
        var list = axes.Select(p => (ReduceAxes.Single("Rebroadcast", x, p.Axis), p.Value)).ToArray();
        return list.Length == 0 ? x : new Rebroadcast(new Seq<(int, bool)>(list)).MakeNode(x).outputs[0];
    }

    /// <summary>Theano's <c>alloc</c>: a tensor of the given shape filled with <paramref name="value"/> (broadcast).</summary>
    public static Variable alloc(Variable value, params Variable[] shape) =>
        Alloc.Op.MakeNode([value, .. shape.Select(AsLength)]).outputs[0];

    private static Variable AsLength(Variable n) => n is Constant { ndim: 0 } c && c.type.dtype.IsInteger
        ? SymbolicShapes.Int64((long)c.data.astype(DType.Int64)) : n;

    /// <summary>Theano's <c>eye</c>: an n × m matrix (m = n by default) with ones on diagonal k.</summary>
    public static Variable eye(Variable n, Variable? m = null, Variable? k = null, string? dtype = null) =>
        new Eye(DType.Parse(dtype ?? config.floatX)).MakeNode(n, m ?? n, k ?? constant(0)).outputs[0];

    /// <summary>Theano's <c>identity_like</c>: the identity matrix with the shape and dtype of <paramref name="x"/>.</summary>
    public static Variable identity_like(Variable x)
    {
        if (x.ndim != 2) throw new ArgumentException($"identity_like: {x} must be a matrix, got {x.type}.", nameof(x));
        return eye(shape(x)[0], shape(x)[1], constant(0), x.type.dtype.Name);
    }

    /// <summary>Theano's <c>squeeze</c>: the broadcastable axes removed.</summary>
    public static Variable squeeze(Variable x) =>
        dimshuffle(x, [.. Enumerable.Range(0, x.ndim).Where(a => !x.type.broadcastable[a]).Cast<object>()]);

    /// <summary>
    /// Theano's <c>tile</c>: <paramref name="x"/> repeated <paramref name="reps"/>[i] times along each axis (numpy's
    /// tile), built as Theano builds it: an alloc of the repeats in front, a dimshuffle interleaving them, a reshape.
    /// </summary>
    public static Variable tile(Variable x, long[] reps, int? ndim = null)
    {
        var n = ndim ?? Math.Max(reps.Length, x.ndim);
        if (n < x.ndim || n < reps.Length)
            throw new ArgumentException($"tile: ndim {n} is smaller than the {x.ndim} dimension(s) of {x} or the {reps.Length} repeats.");
        var allReps = Enumerable.Repeat(1L, n - reps.Length).Concat(reps).ToArray();
        var shape = Enumerable.Repeat<Variable>(SymbolicShapes.One, n - x.ndim).Concat(Enumerable.Range(0, x.ndim).Select(a => T.shape(x)[a])).ToArray();
        var y = alloc(x, [.. allReps.Select(r => (Variable)SymbolicShapes.Int64(r)), .. shape]);
        var interleaved = dimshuffle(y, [.. Enumerable.Range(0, n).SelectMany(a => new object[] { a, a + n })]);
        return reshape(interleaved, stack([.. shape.Select((s, a) => mul(s, SymbolicShapes.Int64(allReps[a])))]), n);
    }

    /// <summary>
    /// Theano's <c>repeat</c>: each element along <paramref name="axis"/> repeated (all of them flattened when null).
    /// A scalar count is Theano's alloc-and-reshape graph; a vector of counts, one per element, is a <see cref="RepeatOp"/>.
    /// </summary>
    public static Variable repeat(Variable x, Variable repeats, int? axis = null)
    {
        if (axis is null) return repeat(flatten(x), repeats, 0);
        var at = ReduceAxes.Single("repeat", x, axis.Value);
        if (repeats.ndim == 1) return new RepeatOp(at).MakeNode(x, repeats).outputs[0];
        if (repeats.ndim != 0 || !repeats.type.dtype.IsInteger)
            throw new ArgumentException($"repeat: the repeats must be an integer scalar or vector, got {repeats} of type {repeats.type}.", nameof(repeats));
        var count = AsLength(repeats);
        var lengths = Enumerable.Range(0, x.ndim).Select(a => shape(x)[a]).ToList();
        var allocShape = lengths.ToList();
        allocShape.Insert(at + 1, count);
        var padded = dimshuffle(x, [.. Enumerable.Range(0, at + 1).Cast<object>(), 'x', .. Enumerable.Range(at + 1, x.ndim - at - 1).Cast<object>()]);
        lengths[at] = mul(lengths[at], cast(count, DType.Int64));
        return reshape(alloc(padded, [.. allocShape]), stack(lengths), x.ndim);
    }

    /// <summary>
    /// Theano's <c>roll</c>: the elements shifted by <paramref name="shift"/> along <paramref name="axis"/>, those
    /// pushed off one end coming back at the other (numpy's roll; over the flattened tensor when the axis is null).
    /// </summary>
    public static Variable roll(Variable x, Variable shift, int? axis = null)
    {
        if (axis is null)
            return x.ndim > 1 ? reshape(roll(flatten(x), shift, 0), shape(x), x.ndim) : roll(x, shift, 0);
        var at = ReduceAxes.Single("roll", x, axis.Value);
        if (shift.ndim != 0 || !shift.type.dtype.IsInteger)
            throw new ArgumentException($"roll: shift must be an integer scalar, got {shift} of type {shift.type}.", nameof(shift));
        var n = shape(x)[at];
        var cut = n - mod(cast(shift, DType.Int64), n);
        object[] Part(Slice s) => [.. Enumerable.Range(0, x.ndim).Select(a => a == at ? (object)s : slice(null, null))];
        return concatenate([x[Part(slice(cut, null))], x[Part(slice(null, cut))]], at);
    }

    /// <summary>
    /// Theano's <c>nonzero</c>: one int64 vector per axis with the positions of the non-zero elements (numpy's
    /// nonzero), or, with <paramref name="return_matrix"/>, the matrix of them (one row per axis).
    /// </summary>
    public static Variable[] nonzero(Variable a, bool return_matrix = false)
    {
        var matrix = Nonzero.Op.MakeNode(a).outputs[0];
        return return_matrix ? [matrix] : [.. Enumerable.Range(0, a.ndim).Select(i => matrix[i])];
    }

    /// <summary>Theano's <c>flatnonzero</c>: the positions of the non-zero elements of the flattened tensor.</summary>
    public static Variable flatnonzero(Variable a) => nonzero(flatten(a))[0];

    /// <summary>Theano's <c>nonzero_values</c>: the non-zero elements of the flattened tensor.</summary>
    public static Variable nonzero_values(Variable a) => flatten(a)[flatnonzero(a)];

    /// <summary>Theano's <c>mgrid</c>: <c>mgrid[slice(0, 5), slice(0, 3)]</c> gives the dense coordinate grids (numpy's mgrid).</summary>
    public static NdGrid mgrid { get; } = new(sparse: false);

    /// <summary>Theano's <c>ogrid</c>: like <see cref="mgrid"/>, each grid with length 1 on the other axes (numpy's ogrid).</summary>
    public static NdGrid ogrid { get; } = new(sparse: true);
}

/// <summary>Theano's <c>_nd_grid</c>, behind <c>T.mgrid</c> and <c>T.ogrid</c>.</summary>
public sealed class NdGrid(bool sparse)
{
    public Variable[] this[params Slice[] ranges]
    {
        get
        {
            var ndim = ranges.Length;
            var axes = ranges.Select(r =>
            {
                if (r.stop is null) throw new ArgumentException("mgrid/ogrid: every range needs a stop.");
                return T.arange(r.start ?? T.constant(0), r.stop, r.step);
            }).ToArray();
            var open = axes.Select((r, j) =>
                T.dimshuffle(r, [.. Enumerable.Range(0, ndim).Select(a => a == j ? (object)0 : 'x')])).ToArray();
            if (sparse) return open;
            return [.. open.Select((r, i) => T.mul([.. open.Select((o, j) => j == i ? o : T.ones_like(o))]))];
        }
    }
}
