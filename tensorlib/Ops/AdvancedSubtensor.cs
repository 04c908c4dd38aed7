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
        [InputNames.Indexing(node, () => Kernels.Take(inputs[0], inputs[1..]))];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [ShapeOps.Of(node.outputs[0])];

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

/// <summary><c>x</c> with <c>y</c> added at the positions an advanced index picks (numpy's <c>add.at</c>; repeats accumulate).</summary>
public sealed record AdvancedIncSubtensor : Op
{
    public static readonly AdvancedIncSubtensor Op = new();

    public override string Name => "AdvancedIncSubtensor";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var selected = AdvancedSubtensor.OutputType(inputs[0], inputs[2..]);
        if (inputs[1].ndim > selected.ndim)
            throw new ArgumentException($"{Name}: the increment {inputs[1].type} has more dimensions than the selection {selected}.");
        return new Apply(this, inputs, [inputs[0].type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var result = inputs[0].Copy();
        var indices = inputs[2..];
        var selectedShape = Kernels.Take(inputs[0], indices).shape;
        Kernels.AddAt(result, indices, inputs[1].astype(result.DType).BroadcastTo(selectedShape));
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        if (outputGradients[0] is not { } gz) return grads;
        grads[0] = gz;
        var y = node.inputs[1];
        grads[1] = Elemwise.ReduceToIncrement(AdvancedSubtensor.Op.MakeNode([gz, .. node.inputs.Skip(2)]).outputs[0], y);
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input < 2;
}
