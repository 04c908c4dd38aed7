using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>CrossentropySoftmax1HotWithBiasDx</c>: the gradient of <see cref="CrossentropySoftmax1Hot"/> with
/// respect to the logits, <c>dnll[:, None] * (sm - onehot(y))</c>, from the output gradient, the softmax and the
/// labels.
/// </summary>
public sealed record CrossentropySoftmax1HotDx : Op
{
    public static readonly CrossentropySoftmax1HotDx Op = new();

    public override string Name => "CrossentropySoftmax1HotDx";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3)
            throw new ArgumentException($"{Name} takes dnll, softmax and labels, got {inputs.Length} inputs.");
        var (dnll, sm, y) = (inputs[0], inputs[1], inputs[2]);
        OneHot.CheckLogits(Name, sm);
        OneHot.CheckLabels(Name, y);
        if (dnll.ndim != 1 || dnll.type.dtype != sm.type.dtype)
            throw new ArgumentException(
                $"{Name}: dnll must be a {sm.type.dtype} vector, got {dnll} of type {dnll.type}.");
        return new Apply(this, inputs, [sm.type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (dnll, sm, y) = (inputs[0], inputs[1], inputs[2]);
        var rows = OneHot.Rows(Name, sm, y);
        if (dnll.ndim != 1 || dnll.shape[0] != sm.shape[0])
            throw new ArgumentException(
                $"{Name}: dnll of shape {NDArray.ShapeString(dnll.shape)} does not match softmax of shape " +
                $"{NDArray.ShapeString(sm.shape)}.");
        var difference = sm.Copy();
        ArrayMath.AddAt(difference, [rows, y], NDArray.Full(-1, sm.DType, sm.shape[0]));
        return [ArrayMath.Multiply(difference, dnll.reshape(sm.shape[0], 1))];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[1]];

    // dx = dnll[:, None] * (sm - onehot): d/d dnll = sum(gz * sm, -1) - gz[arange(n), y], d/d sm = gz * dnll[:, None]
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null, null];
        var (dnll, sm, y) = (node.inputs[0], node.inputs[1], node.inputs[2]);
        var picked = gz[arange(y.shape[0]), y];
        return [sub(sum(mul(gz, sm), axis: [1]), picked), mul(gz, dimshuffle(dnll, 0, 'x')), null];
    }

    public override bool IsConnected(Apply node, int input) => input < 2;
}
