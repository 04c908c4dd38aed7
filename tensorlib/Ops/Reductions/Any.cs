using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>Any</c>: whether some element of a bool input is true, over some axes (all when null). An empty
/// reduction is false, as in numpy. <c>T.any</c> compares a non-bool input with 0 first, as Theano does.
/// </summary>
public sealed record Any(Seq<int>? Axes) : Op
{
    public override string Name => Axes is null ? "Any" : $"Any{{{string.Join(", ", Axes)}}}";

    public override Apply MakeNode(params Variable[] inputs) => LogicalReduction.MakeNode(this, "any", Axes, inputs);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [ArrayMath.Greater(LogicalReduction.CountTrue(inputs[0], Axes), 0L)];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [LogicalReduction.Shape(inputShapes[0], Axes)];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];
}
