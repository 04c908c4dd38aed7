namespace Theon.Ops;

/// <summary><c>x</c> with <c>y</c> added into the part that <see cref="Subtensor"/> selects: the gradient of indexing.</summary>
public sealed record IncSubtensor(Seq<IndexSpec> Specs) : Op
{
    public override string Name => $"IncSubtensor{{{string.Join(", ", Specs)}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (x, y) = (inputs[0], inputs[1]);
        BasicIndexing.CheckIndices(inputs.Skip(2));
        if (y.ndim > BasicIndexing.OutputType(x.type, Specs).ndim)
            throw new ArgumentException($"{Name}: the increment {y.type} has more dimensions than the selected part of {x.type}.");
        return new Apply(this, inputs, [x.type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var result = inputs[0].Copy();
        var view = BasicIndexing.View(result, Specs, inputs.AsSpan(2));
        view.CopyFrom(Values.ArrayMath.Add(view, inputs[1]));
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        Elemwise.IncrementGradients(node, outputGradients, new Subtensor(Specs));

    public override bool IsConnected(Apply node, int input) => input < 2;
}
