namespace Theon.Ops;

/// <summary>The shape of a tensor as an int64 vector.</summary>
public sealed record Shape : Op
{
    public static readonly Shape Op = new();

    public override string Name => "Shape";

    public override Apply MakeNode(params Variable[] inputs) =>
        new(this, [inputs.Single()], [new TensorType(DType.Int64, [false])]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [NDArray.FromArray(inputs[0].shape.Select(n => (long)n).ToArray())];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [[SymbolicShapes.Int64(node.inputs[0].ndim)]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];

    public override bool IsConnected(Apply node, int input) => false;
}
