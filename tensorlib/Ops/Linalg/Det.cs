using static Theon.T;

namespace Theon.Ops;

/// <summary>Theano's <c>nlinalg.Det</c>: the determinant of a square matrix (numpy's <c>linalg.det</c>), a scalar.</summary>
public sealed record Det : Op
{
    public static readonly Det Op = new();

    public override string Name => "Det";

    public override Apply MakeNode(params Variable[] inputs) =>
        new(this, [LuDecomposition.CheckSquare("det", inputs.Single())], [new TensorType(inputs[0].type.dtype, [])]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        LuDecomposition.CheckSquare("det", node, inputs[0]);
        return [NDArray.Scalar(new LuDecomposition(inputs[0]).Determinant, node.outputs[0].type.dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [[]];

    /// <summary>Theano's Det.grad: gz · det(X) · (X⁻¹)ᵀ (defined where X is invertible).</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return [null];
        return [mul(gz, node.outputs[0], MatrixInverse.Op.MakeNode(node.inputs[0]).outputs[0].transpose())];
    }
}
