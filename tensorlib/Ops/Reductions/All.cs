using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>All</c>: whether every element of a bool input is true, over some axes (all when null). An empty
/// reduction is true, as in numpy. <c>T.all</c> compares a non-bool input with 0 first, as Theano does.
/// </summary>
public sealed record All(Seq<int>? Axes) : Op
{
    public override string Name => Axes is null ? "All" : $"All{{{string.Join(", ", Axes)}}}";

    public override Apply MakeNode(params Variable[] inputs) => LogicalReduction.MakeNode(this, "all", Axes, inputs);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [ArrayMath.Equal(LogicalReduction.CountTrue(ArrayMath.Equal(inputs[0], false), Axes), 0L)];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [LogicalReduction.Shape(inputShapes[0], Axes)];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) => [null];
}
