using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>CrossentropySoftmaxArgmax1HotWithBias</c> without bias and argmax: the cross-entropy of each row's
/// softmax against an integer label, <c>-log(softmax(x))[arange(n), y]</c>, computed stably as
/// <c>log(sum(exp(x - max))) - (x[y] - max)</c>. Made by the rewrite <c>local_crossentropy_softmax_1hot</c>.
/// </summary>
public sealed record CrossentropySoftmax1Hot : Op
{
    public static readonly CrossentropySoftmax1Hot Op = new();

    public override string Name => "CrossentropySoftmax1Hot";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 2)
            throw new ArgumentException($"{Name} takes logits and labels, got {inputs.Length} inputs.");
        var (x, y) = (inputs[0], inputs[1]);
        OneHot.CheckLogits(Name, x);
        OneHot.CheckLabels(Name, y);
        return new Apply(this, inputs, [new TensorType(x.type.dtype, [y.type.broadcastable[0]])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (x, y) = (inputs[0], inputs[1]);
        var rows = OneHot.Rows(Name, x, y);
        var logSoftmax = LogSoftmax.Op.Perform(node, [x])[0];
        return [ArrayMath.Negative(ArrayMath.Take(logSoftmax, [rows, y]))];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[1]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null];
        var x = node.inputs[0];
        return [CrossentropySoftmax1HotDx.Op.MakeNode(gz, nnet.softmax(x), node.inputs[1]).outputs[0], null];
    }

    public override bool IsConnected(Apply node, int input) => input == 0;

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"crossentropy_softmax_1hot({inputs[0]}, {inputs[1]})";
}
