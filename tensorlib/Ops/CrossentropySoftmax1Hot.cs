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
        return [Kernels.Negative(Kernels.Take(logSoftmax, [rows, y]))];
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
        Kernels.AddAt(difference, [rows, y], NDArray.Full(-1, sm.DType, sm.shape[0]));
        return [Kernels.Multiply(difference, dnll.reshape(sm.shape[0], 1))];
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

/// <summary>The checks the one-hot cross-entropy ops share.</summary>
internal static class OneHot
{
    public static void CheckLogits(string op, Variable x)
    {
        if (x.ndim != 2 || !x.type.dtype.IsFloat)
            throw new ArgumentException($"{op} takes a float matrix, got {x} of type {x.type}.");
    }

    public static void CheckLabels(string op, Variable y)
    {
        if (y.ndim != 1 || !y.type.dtype.IsInteger)
            throw new ArgumentException($"{op} takes an integer vector of labels, got {y} of type {y.type}.");
    }

    /// <summary><c>arange(n)</c> for the rows of <paramref name="x"/>, after checking the labels against its
    /// shape.</summary>
    public static NDArray Rows(string op, NDArray x, NDArray y)
    {
        var (rows, classes) = (x.shape[0], x.shape[1]);
        if (y.ndim != 1 || y.shape[0] != rows)
            throw new ArgumentException(
                $"{op}: labels of shape {NDArray.ShapeString(y.shape)} do not match {rows} rows of shape " +
                $"{NDArray.ShapeString(x.shape)}.");
        foreach (var label in y.astype(DType.Int64).ToFlatArray<long>())
        {
            if (label < 0 || label >= classes)
                throw new ArgumentException(
                    $"{op}: label {label} is outside [0, {classes}) for shape {NDArray.ShapeString(x.shape)}.");
        }
        return NDArray.FromArray(Enumerable.Range(0, rows).Select(i => (long)i).ToArray());
    }
}
