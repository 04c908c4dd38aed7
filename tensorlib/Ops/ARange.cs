using static Theon.T;

namespace Theon.Ops;

/// <summary>A range of numbers, numpy's arange, from symbolic scalars.</summary>
public sealed record ARange(DType DType) : Op
{
    public override string Name => $"ARange{{dtype='{DType}'}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3 || inputs.Any(v => v.ndim != 0))
            throw new ArgumentException("arange takes three scalars: start, stop, step.");
        return new Apply(this, inputs, [new TensorType(DType, [false])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (start, stop, step) = ((double)inputs[0], (double)inputs[1], (double)inputs[2]);
        if (step == 0) throw new ArgumentException("arange: step must not be zero.");
        return [Values.ArrayMath.Arange(start, stop, step, DType)];
    }

    // length = max(ceil((stop - start) / step), 0), divided in float64 whatever floatX is (as Theano's ARange does)
    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var span = cast(sub(node.inputs[1], node.inputs[0]), "float64");
        return [[cast(maximum(ceil(true_div(span, node.inputs[2])), 0), "int64")]];
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null, null, null];

    // Theano's ARange.connection_pattern: stop only sets the length; start and step set the values.
    public override bool IsConnected(Apply node, int input) => input != 1;
}
