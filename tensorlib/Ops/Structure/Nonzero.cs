namespace Theon.Ops;

/// <summary>
/// Theano's <c>Nonzero</c>: the int64 positions of the non-zero elements, as a matrix with one row per axis and one
/// column per element in C order (numpy's <c>nonzero</c> stacked).
/// </summary>
public sealed record Nonzero : Op
{
    public static readonly Nonzero Op = new();

    public override string Name => "Nonzero";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var a = inputs.Single();
        if (a.ndim == 0) throw new ArgumentException($"nonzero: {a} is a scalar ({a.type}); it needs at least one dimension.");
        return new Apply(this, [a], [new TensorType(DType.Int64, [false, false])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var a = inputs[0];
        var flat = a.DType.IsBool ? a.ToFlatArray<bool>() : a.ToFlatArray<double>().Select(v => v != 0).ToArray();
        var positions = Enumerable.Range(0, flat.Length).Where(i => flat[i]).ToArray();
        var result = new long[a.ndim, positions.Length];
        for (var c = 0; c < positions.Length; c++)
        {
            var rest = positions[c];
            for (var axis = a.ndim - 1; axis >= 0; axis--)
            {
                result[axis, c] = rest % a.shape[axis];
                rest /= a.shape[axis];
            }
        }
        return [NDArray.FromArray(result)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [SymbolicShapes.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];
}
