using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// numpy's integer-array indexing on the leading axes, <c>x[arange(n), y]</c>: the index arrays broadcast together
/// and pick one element (or sub-tensor) per position. Its gradient scatters back with <see cref="AdvancedIncSubtensor"/>.
/// </summary>
public sealed record AdvancedSubtensor : Op
{
    public static readonly AdvancedSubtensor Op = new();

    public override string Name => "AdvancedSubtensor";

    internal static TensorType OutputType(Variable x, IReadOnlyList<Variable> indices)
    {
        if (indices.Count == 0 || indices.Count > x.ndim)
            throw new ArgumentException($"advanced indexing of {x.type} takes 1 to {x.ndim} index arrays, got {indices.Count}.");
        foreach (var index in indices)
        {
            if (!index.type.dtype.IsInteger)
                throw new ArgumentException($"an index array must hold integers, got {index} of type {index.type}.");
        }
        var indexDims = indices.Max(v => v.ndim);
        var pattern = Enumerable.Range(0, indexDims).Select(axis => indices.All(v =>
            axis - (indexDims - v.ndim) < 0 || v.type.broadcastable[axis - (indexDims - v.ndim)]));
        return x.type.WithBroadcastable([.. pattern, .. x.type.broadcastable.Skip(indices.Count)]);
    }

    public override Apply MakeNode(params Variable[] inputs) =>
        new(this, inputs, [OutputType(inputs[0], inputs[1..])]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [InputNames.Indexing(node, () => ArrayMath.Take(inputs[0], inputs[1..]))];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [SymbolicShapes.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        var x = node.inputs[0];
        if (outputGradients[0] is { } gz && x.type.dtype.IsFloat)
            grads[0] = AdvancedIncSubtensor.Op.MakeNode([zeros_like(x), gz, .. node.inputs.Skip(1)]).outputs[0];
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input == 0;

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) => $"{inputs[0]}[{string.Join(", ", inputs.Skip(1))}]";
}
