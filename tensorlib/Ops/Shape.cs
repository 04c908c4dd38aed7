using static Theon.T;

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
        [[ShapeOps.Int64(node.inputs[0].ndim)]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];

    public override bool IsConnected(Apply node, int input) => false;
}

/// <summary>Scalars gathered into a vector.</summary>
public sealed record MakeVector(DType DType) : Op
{
    public override string Name => $"MakeVector{{dtype='{DType}'}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        foreach (var v in inputs)
        {
            if (v.ndim != 0) throw new ArgumentException($"MakeVector takes scalars, got {v.type}.");
        }
        return new Apply(this, inputs.Select(v => v.type.dtype == DType ? v : cast(v, DType)), [new TensorType(DType, [inputs.Length == 1])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var result = NDArray.Zeros(DType, inputs.Length);
        for (var i = 0; i < inputs.Length; i++) result[i].CopyFrom(inputs[i]);
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [[ShapeOps.Int64(node.inputs.Count)]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        outputGradients[0] is { } gz && DType.IsFloat
            ? [.. node.inputs.Select((_, i) => (Variable?)gz[i])]
            : new Variable?[node.inputs.Count];

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) => $"[{string.Join(", ", inputs)}]";
}

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
        return [Values.Kernels.Arange(start, stop, step, DType)];
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

internal static class ShapeOps
{
    public static Constant Int64(long value) => new(NDArray.Scalar(value));

    public static readonly Constant One = Int64(1);

    /// <summary>The symbolic shape of <paramref name="v"/>: one int64 scalar per axis.</summary>
    public static IReadOnlyList<Variable> Of(Variable v) =>
        [.. Enumerable.Range(0, v.ndim).Select(axis => v.type.broadcastable[axis] ? One : shape(v)[axis])];
}
