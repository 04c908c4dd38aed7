using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>numpy's dot for vectors and matrices. pp shows Theano's <c>(x \dot w)</c>.</summary>
public sealed record Dot : Op
{
    public static readonly Dot Op = new();

    public override string Name => "dot";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 2) throw new ArgumentException($"dot takes two inputs, got {inputs.Length}.");
        var (x, y) = (inputs[0], inputs[1]);
        foreach (var v in inputs)
        {
            if (v.ndim is not (1 or 2))
                throw new ArgumentException($"dot: inputs must be vectors or matrices, got {v} of type {v.type}.");
        }
        if (x.type.dtype.IsBool || y.type.dtype.IsBool) throw new ArgumentException("dot: bool inputs are not supported; cast them first.");
        var pattern = (x.ndim, y.ndim) switch
        {
            (2, 2) => new[] { x.type.broadcastable[0], y.type.broadcastable[1] },
            (2, 1) => [x.type.broadcastable[0]],
            (1, 2) => [y.type.broadcastable[1]],
            _ => [],
        };
        return new Apply(this, [x, y], [new TensorType(DType.Upcast(x.type.dtype, y.type.dtype), pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        NDArray result;
        try
        {
            result = ArrayMath.Dot(inputs[0], inputs[1]);
        }
        catch (ArgumentException e)
        {
            var reason = e.Message.StartsWith("dot: ", StringComparison.Ordinal) ? e.Message[5..] : e.Message;
            var (x, y) = (InputNames.Describe(node.inputs[0]), InputNames.Describe(node.inputs[1]));
            throw new ArgumentException($"dot({x}, {y}): {reason}", e);
        }
        var dtype = node.outputs[0].type.dtype;
        return [result.DType == dtype ? result : result.astype(dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) => (node.inputs[0].ndim, node.inputs[1].ndim) switch
    {
        (2, 2) => [[s[0][0], s[1][1]]],
        (2, 1) => [[s[0][0]]],
        (1, 2) => [[s[1][1]]],
        _ => [[]],
    };

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null, null];
        var (x, y) = (node.inputs[0], node.inputs[1]);
        return (x.ndim, y.ndim) switch
        {
            (2, 2) => [dot(gz, y.T), dot(x.T, gz)],
            (2, 1) => [Outer(gz, y), dot(x.T, gz)],
            (1, 2) => [dot(y, gz), Outer(x, gz)],
            _ => [mul(gz, y), mul(gz, x)],
        };
    }

    private static Variable Outer(Variable a, Variable b) => dot(a.dimshuffle(0, 'x'), b.dimshuffle('x', 0));

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) => $"({inputs[0]} \\dot {inputs[1]})";
}
