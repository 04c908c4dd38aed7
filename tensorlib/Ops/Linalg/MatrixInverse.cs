using static Theon.T;

namespace Theon.Ops;

/// <summary>Theano's <c>nlinalg.MatrixInverse</c>: the inverse of a square matrix (numpy's <c>linalg.inv</c>).</summary>
public sealed record MatrixInverse : Op
{
    public static readonly MatrixInverse Op = new();

    public override string Name => "MatrixInverse";

    public override Apply MakeNode(params Variable[] inputs) =>
        new(this, [LuDecomposition.CheckSquare("matrix_inverse", inputs.Single())], [inputs[0].type.WithBroadcastable([false, false])]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        LuDecomposition.CheckSquare("matrix_inverse", node, inputs[0]);
        var lu = new LuDecomposition(inputs[0]);
        if (lu.IsSingular) throw new ArgumentException($"matrix_inverse: {node.inputs[0]} is singular.");
        return [NDArray.FromArray(lu.Inverse()).astype(node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    /// <summary>Theano's MatrixInverse.grad: d(X⁻¹) = -X⁻¹ dX X⁻¹, so the gradient is -(X⁻¹)ᵀ gz (X⁻¹)ᵀ.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        var inverseT = node.outputs[0].transpose();
        return [neg(dot(dot(inverseT, gz), inverseT))];
    }
}
