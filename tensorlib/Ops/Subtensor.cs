using static Theon.T;

namespace Theon.Ops;

/// <summary>Basic indexing and slicing, <c>x[i]</c>, <c>x[slice(a, b)]</c>, with symbolic bounds. A view.</summary>
public sealed record Subtensor(Seq<IndexSpec> Specs) : Op
{
    public override string Name => $"Subtensor{{{string.Join(", ", Specs)}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs[0];
        if (inputs.Length - 1 != Specs.Sum(s => s.InputCount)) throw new ArgumentException($"{Name}: wrong number of index inputs.");
        BasicIndexing.CheckIndices(inputs.Skip(1));
        return new Apply(this, inputs, [BasicIndexing.OutputType(x.type, Specs)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        [InputNames.Indexing(node, () => BasicIndexing.View(inputs[0], Specs, inputs.AsSpan(1)))];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [SymbolicShapes.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        var x = node.inputs[0];
        if (outputGradients[0] is { } gz && x.type.dtype.IsFloat)
            grads[0] = new IncSubtensor(Specs).MakeNode([zeros_like(x), gz, .. node.inputs.Skip(1)]).outputs[0];
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input == 0;

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        BasicIndexing.Pp(Specs, inputs[0], [.. inputs.Skip(1)]);
}
