using Theon.Values;

namespace Theon.Ops;

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
        var selectedShape = ArrayMath.Take(inputs[0], indices).shape;
        ArrayMath.AddAt(result, indices, inputs[1].astype(result.DType).BroadcastTo(selectedShape));
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        Elemwise.IncrementGradients(node, outputGradients, AdvancedSubtensor.Op);

    public override bool IsConnected(Apply node, int input) => input < 2;
}
