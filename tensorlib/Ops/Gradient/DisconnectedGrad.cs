namespace Theon.Ops;

/// <summary>
/// Theano's <c>disconnected_grad</c>: the input unchanged, with no gradient path through it (a variable that reaches
/// the cost only through it is disconnected). The optimizer removes it (<c>remove_disconnected_grad</c>).
/// </summary>
public sealed record DisconnectedGrad : Op
{
    public static readonly DisconnectedGrad Op = new();

    public override string Name => "DisconnectedGrad";

    public override Apply MakeNode(params Variable[] inputs) => new(this, [inputs.Single()], [inputs[0].type]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [inputs[0].Copy()];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];

    public override bool IsConnected(Apply node, int input) => false;
}
