using Theon.Ops;

namespace Theon;

/// <summary>A slice with optional symbolic bounds, made by <c>slice(a, b)</c>; <c>x[slice(a, b)]</c> is Python's <c>x[a:b]</c>.</summary>
public sealed record Slice(Variable? start, Variable? stop, Variable? step);

public static partial class T
{
    public static Slice slice(Variable? start, Variable? stop, Variable? step = null) => new(start, stop, step);

    public static Variable shape(Variable x) => Ops.Shape.Op.MakeNode(x).outputs[0];

    public static Variable dimshuffle(Variable x, params object[] pattern) =>
        DimShuffle.Create(x.type.broadcastable, pattern).MakeNode(x).outputs[0];

    public static Variable transpose(Variable x, params int[] axes)
    {
        var order = axes.Length == 0 ? Enumerable.Range(0, x.ndim).Reverse().ToArray() : axes;
        return dimshuffle(x, [.. order.Cast<object>()]);
    }

    public static Variable reshape(Variable x, Variable newShape, int ndim) =>
        new Reshape(ndim).MakeNode(x, cast(newShape, DType.Int64)).outputs[0];

    public static Variable reshape(Variable x, params long[] newShape) =>
        reshape(x, constant(NDArray.FromArray(newShape)), newShape.Length);

    /// <summary>Keeps the first <paramref name="ndim"/> - 1 axes and flattens the rest into the last.</summary>
    public static Variable flatten(Variable x, int ndim = 1)
    {
        if (ndim < 1 || ndim > x.ndim) throw new ArgumentException($"flatten: ndim must be between 1 and {x.ndim}, got {ndim}.");
        if (ndim == 1) return reshape(x, -1);
        var leading = Enumerable.Range(0, ndim - 1).Select(a => shape(x)[a]).Append(constant(-1L)).ToArray();
        return reshape(x, stack(leading), ndim);
    }

    public static Variable concatenate(IReadOnlyList<Variable> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("concatenate needs at least one tensor.");
        var normalized = axis < 0 ? axis + tensors[0].ndim : axis;
        return new Join(normalized).MakeNode([.. tensors]).outputs[0];
    }

    /// <summary>Tensors of the same shape stacked along a new axis (scalars become a vector).</summary>
    public static Variable stack(IReadOnlyList<Variable> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack needs at least one tensor.");
        if (tensors.All(t => t.ndim == 0))
            return new MakeVector(DType.Upcast([.. tensors.Select(t => t.type.dtype)])).MakeNode([.. tensors]).outputs[0];
        var ndim = tensors[0].ndim;
        var at = axis < 0 ? axis + ndim + 1 : axis;
        var padded = tensors.Select(t => dimshuffle(t, [.. Enumerable.Range(0, ndim).Cast<object>().Take(at), 'x', .. Enumerable.Range(at, ndim - at).Cast<object>()]));
        return concatenate([.. padded], at);
    }

    public static Variable arange(Variable stop) => arange(constant(0), stop, constant(1));

    public static Variable arange(Variable start, Variable stop, Variable? step = null)
    {
        step ??= constant(1);
        var dtype = DType.Upcast(start.type.dtype, stop.type.dtype, step.type.dtype);
        if (!dtype.IsFloat) dtype = DType.Int64;
        return new ARange(dtype).MakeNode(start, stop, step).outputs[0];
    }

    /// <summary>numpy-style indexing: integers and symbolic scalars, <see cref="Slice"/>s, or integer index arrays (advanced).</summary>
    internal static Variable Index(Variable x, object[] indices)
    {
        var items = indices.Select(ToIndexItem).ToArray();
        if (items.Any(i => i is Variable { ndim: > 0 }))
        {
            if (!items.All(i => i is Variable))
                throw new ArgumentException("advanced indexing mixes index arrays with slices; index with arrays only.");
            return AdvancedSubtensor.Op.MakeNode([x, .. items.Cast<Variable>()]).outputs[0];
        }
        var specs = new List<IndexSpec>();
        var inputs = new List<Variable> { x };
        foreach (var item in items)
        {
            if (item is Slice s)
            {
                specs.Add(new SliceIndex(s.start is not null, s.stop is not null, s.step is not null));
                inputs.AddRange(new[] { s.start, s.stop, s.step }.OfType<Variable>().Select(AsIndex));
            }
            else
            {
                specs.Add(ScalarIndex.Instance);
                inputs.Add(AsIndex((Variable)item));
            }
        }
        return new Subtensor(specs).MakeNode([.. inputs]).outputs[0];
    }

    /// <summary>An int64 index input; an unnamed integer constant becomes an index constant (Theano's
    /// <c>make_constant</c>), anything else is cast.</summary>
    private static Variable AsIndex(Variable v) =>
        v is Constant { name: null, ndim: 0, IsIndex: false } c && c.type.dtype.IsInteger
            ? Constant.Index((long)c.data)
            : cast(v, DType.Int64);

    private static object ToIndexItem(object index) => index switch
    {
        Slice s => s,
        Variable v when v.type.dtype.IsInteger => v,
        Variable v => throw new ArgumentException($"an index must hold integers, got {v} of type {v.type}."),
        int or long or short or sbyte or byte => Constant.Index(Convert.ToInt64(index)),
        NDArray or Array => constant(index),
        _ => throw new ArgumentException($"cannot index with a {index.GetType().Name}; use integers, symbolic integers, slice(a, b) or integer arrays."),
    };
}
