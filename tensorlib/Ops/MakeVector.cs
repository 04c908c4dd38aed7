using static Theon.T;

namespace Theon.Ops;

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
        [[SymbolicShapes.Int64(node.inputs.Count)]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        outputGradients[0] is { } gz && DType.IsFloat
            ? [.. node.inputs.Select((_, i) => (Variable?)gz[i])]
            : new Variable?[node.inputs.Count];

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) => $"[{string.Join(", ", inputs)}]";
}
