
namespace Theon.Ops;

/// <summary>
/// A reduction of a fused elementwise loop (<c>sum(a * log(b) + ...)</c>): the elementwise values are computed a
/// row at a time and folded into the result, never stored whole. Made by the fusion phase.
/// </summary>
public sealed record FusedReduce(Reduce Reduction, ScalarExpr Body, DType DType) : Op
{
    public override string Name => $"{Reduction.Name}{{{Body}}}";

    private Composite Elementwise => new(Body, DType);

    public override Apply MakeNode(params Variable[] inputs)
    {
        var elementwise = Elementwise.MakeNode(inputs).outputs[0];
        var reduced = Reduction.MakeNode(elementwise).outputs[0];
        return new Apply(this, inputs, [reduced.type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var elementwise = Elementwise.MakeNode([.. node.inputs]);
        var values = Elementwise.Perform(elementwise, inputs);
        return Reduction.Perform(Reduction.MakeNode(elementwise.outputs[0]), values);
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var elementwise = Elementwise.MakeNode([.. node.inputs]);
        var shape = Elementwise.InferShape(elementwise, inputShapes);
        return Reduction.InferShape(Reduction.MakeNode(elementwise.outputs[0]), shape);
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new InvalidOperationException(
            "FusedReduce is made by the optimizer after gradients are taken; it has no gradient.");

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"{Reduction.Name}({Elementwise.Pp(node, inputs, 0)})";

    public override bool CanConstantFold => false;
}
