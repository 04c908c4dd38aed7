using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>zero_grad</c>: the input unchanged, with a zero gradient (the path still counts as connected). The
/// optimizer removes it (<c>remove_zero_grad</c>).
/// </summary>
public sealed record ZeroGrad : Op
{
    public static readonly ZeroGrad Op = new();

    public override string Name => "ZeroGrad";

    public override Apply MakeNode(params Variable[] inputs) => new(this, [inputs.Single()], [inputs[0].type]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [inputs[0].Copy()];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        [outputGradients[0] is { } gz ? zeros_like(gz) : null];
}
