using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>Alloc</c>: a tensor of the shape given by the scalar inputs after the first, filled with the first
/// (broadcast to it, numpy's <c>broadcast_to</c>). An axis whose length is the constant 1 is broadcastable.
/// </summary>
public sealed record Alloc : Op
{
    public static readonly Alloc Op = new();

    public override string Name => "Alloc";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (value, shape) = (inputs[0], inputs[1..]);
        foreach (var (n, i) in shape.Select((n, i) => (n, i)))
        {
            if (n.ndim != 0 || !n.type.dtype.IsInteger)
                throw new ArgumentException($"alloc: the length of axis {i} must be an integer scalar, got {n} of type {n.type}.");
        }
        if (value.ndim > shape.Length)
            throw new ArgumentException($"alloc: the value {value} ({value.type}) has more dimensions than the shape ({shape.Length}).");
        var pattern = shape.Select(n => n is Constant { ScalarValue: 1 });
        return new Apply(this, inputs, [new TensorType(value.type.dtype, pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shape = inputs[1..].Select(n => (int)(long)n.astype(DType.Int64)).ToArray();
        if (shape.Any(n => n < 0))
            throw new ArgumentException($"alloc: negative length in shape {NDArray.ShapeString(shape)}.");
        var offset = shape.Length - inputs[0].ndim;
        for (var k = 0; k < inputs[0].ndim; k++)
        {
            if (!node.inputs[0].type.broadcastable[k] && inputs[0].shape[k] != shape[k + offset])
                throw new ArgumentException(
                    $"alloc: axis {k} of the value {node.inputs[0]} has length {inputs[0].shape[k]} and is not broadcastable, but the shape asks for {shape[k + offset]}.");
        }
        return [inputs[0].BroadcastTo(shape).Copy()];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [node.inputs.Skip(1).Select(n => cast(n, DType.Int64)).ToArray()];

    /// <summary>The gradient of the value sums the output gradient over the axes it was broadcast on.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        var value = node.inputs[0];
        if (outputGradients[0] is not { } gz || !value.type.dtype.IsFloat) return grads;
        var leading = Enumerable.Range(0, gz.ndim - value.ndim).ToArray();
        grads[0] = Elemwise.SumOverBroadcastAxes(leading.Length > 0 ? sum(gz, axis: leading) : gz, value);
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input == 0;
}
