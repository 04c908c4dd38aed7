using Theon.Ops;
using static Theon.T;

namespace Theon.Compile;

/// <summary>
/// Theano's ShapeFeature (<c>local_shape_to_shape_i</c>): <c>shape(v)[i]</c> of a computed <c>v</c> becomes the
/// <see cref="Op.InferShape"/> of v's op, built from its inputs' shapes, so a shape no longer needs the value it
/// describes: <c>x.shape[0]</c> of <c>dot(x, w)</c> reads x's shape, and a function that only wants shapes does not
/// compute the product. Runs after stabilize, whose rewrites match <c>shape(y)[0]</c> patterns as written.
/// </summary>
internal static class ShapeRewrites
{
    public static readonly List<Rewrite> Rules = [new("local_shape_i_from_infer_shape", ShapeOfComputed)];

    private static Variable? ShapeOfComputed(Apply n)
    {
        if (n.op is not Subtensor { Specs: { Count: 1 } specs } || specs[0] is not ScalarIndex) return null;
        if (n.inputs[0].owner is not { op: Shape } shapeNode || n.inputs[1] is not Constant { ScalarValue: { } index })
            return null;
        var v = shapeNode.inputs[0];
        if (v.owner is not { } producer) return null;
        var axis = (int)index < 0 ? (int)index + v.ndim : (int)index;
        if (axis < 0 || axis >= v.ndim) return null;
        var inputShapes = producer.inputs.Select(SymbolicShapes.Of).ToArray();
        var dim = producer.op.InferShape(producer, inputShapes)[v.index][axis];
        if (dim.ndim != 0 || !dim.type.dtype.IsInteger) return null;
        // Ops whose output shape is known only from the output itself infer shape(output)[i]: nothing to gain.
        var ancestors = GraphWalk.Ancestors([dim]);
        if (producer.outputs.Any(ancestors.Contains)) return null;
        return dim.type.dtype == DType.Int64 ? dim : cast(dim, "int64");
    }
}
