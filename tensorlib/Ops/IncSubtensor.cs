namespace Theon.Ops;

/// <summary>
/// <c>x</c> with <c>y</c> added into (or, with <see cref="SetInstead"/>, written over) the part that
/// <see cref="Subtensor"/> selects: Theano's <c>inc_subtensor</c> and <c>set_subtensor</c>, and the gradient of indexing.
/// </summary>
public sealed record IncSubtensor(Seq<IndexSpec> Specs, bool SetInstead = false) : Op, IInPlaceIncrement
{
    public override string Name => $"IncSubtensor{{{(SetInstead ? "Set" : "Inc")};{string.Join(", ", Specs)}}}";

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
        Check(node, result, inputs.AsSpan(1));
        Write(result, inputs.AsSpan(1));
        return [result];
    }

    public int[] Check(Apply node, NDArray x, ReadOnlySpan<NDArray> operands)
    {
        var indices = operands[1..].ToArray();
        var view = InputNames.Indexing(node, () => BasicIndexing.View(x, Specs, indices));
        IncrementChecks.CheckFits(node, operands[0], view.shape);
        return view.shape;
    }

    public void Write(NDArray x, ReadOnlySpan<NDArray> operands)
    {
        var view = BasicIndexing.View(x, Specs, operands[1..]);
        view.CopyFrom(SetInstead ? operands[0] : Values.ArrayMath.Add(view, operands[0]));
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = Elemwise.IncrementGradients(node, outputGradients, new Subtensor(Specs));
        // a set overwrites the selected part of x, so x gets no gradient there (Theano's IncSubtensor.grad)
        if (SetInstead && grads[0] is { } gz)
            grads[0] = (this with { SetInstead = true }).MakeNode([gz, IncrementChecks.Zero(gz), .. node.inputs.Skip(2)]).outputs[0];
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input < 2;
}
