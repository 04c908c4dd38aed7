namespace Theon.Ops;

/// <summary>Theano's <c>Eye</c>: an n × m matrix with ones on diagonal k (numpy's <c>eye</c>); inputs n, m, k.</summary>
public sealed record Eye(DType DType) : Op
{
    public override string Name => $"Eye{{dtype='{DType}'}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3) throw new ArgumentException($"{Name}: takes n, m and k, got {inputs.Length} inputs.");
        foreach (var (v, what) in inputs.Zip(new[] { "n", "m", "k" }))
        {
            if (v.ndim != 0 || !v.type.dtype.IsInteger)
                throw new ArgumentException($"eye: {what} must be an integer scalar, got {v} of type {v.type}.");
        }
        return new Apply(this, inputs, [new TensorType(DType, [false, false])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var (n, m, k) = ((int)(long)inputs[0].astype(DType.Int64), (int)(long)inputs[1].astype(DType.Int64), (long)inputs[2].astype(DType.Int64));
        if (n < 0 || m < 0) throw new ArgumentException($"eye: negative dimensions ({n}, {m}).");
        var result = NDArray.Zeros(DType, n, m);
        for (var i = 0; i < n; i++)
        {
            var j = i + k;
            if (j >= 0 && j < m) result[i, (int)j].CopyFrom(NDArray.Scalar(1, DType));
        }
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [[T.cast(node.inputs[0], DType.Int64), T.cast(node.inputs[1], DType.Int64)]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null, null, null];

    public override bool IsConnected(Apply node, int input) => false;
}
