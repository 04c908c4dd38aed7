using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// <c>x</c> with <c>y</c> added at the positions an advanced index picks (numpy's <c>add.at</c>; repeats accumulate),
/// or, with <see cref="SetInstead"/>, written there (numpy's <c>x[idx] = y</c>; of repeated positions the last wins).
/// </summary>
public sealed record AdvancedIncSubtensor(bool SetInstead = false) : Op
{
    public static readonly AdvancedIncSubtensor Op = new();

    public static readonly AdvancedIncSubtensor Set = new(true);

    public override string Name => SetInstead ? "AdvancedIncSubtensor{set_instead=True}" : "AdvancedIncSubtensor";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var selected = AdvancedSubtensor.OutputType(inputs[0], inputs[2..]);
        if (inputs[1].ndim > selected.ndim)
            throw new ArgumentException($"{Name}: the increment {inputs[1].type} has more dimensions than the selection {selected}.");
        return new Apply(this, inputs, [inputs[0].type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var result = inputs[0].Copy();
        var indices = inputs[2..];
        var selectedShape = InputNames.Indexing(node, () => ArrayMath.Take(inputs[0], indices)).shape;
        IncrementChecks.CheckFits(node, inputs[1], selectedShape);
        var values = inputs[1].astype(result.DType).BroadcastTo(selectedShape);
        if (SetInstead) Assign(result, indices, values);
        else ArrayMath.AddAt(result, indices, values);
        return [result];
    }

    /// <summary>Writes the values in index order, so that a repeated position keeps the last value, as numpy does.</summary>
    private static void Assign(NDArray result, NDArray[] indices, NDArray values)
    {
        var positions = ArrayMath.Take(NDArray.FromArray(Enumerable.Range(0, result.size).Select(i => (long)i).ToArray())
            .reshape(result.shape), indices).ToFlatArray<long>();
        var source = values.AsContiguous();
        for (var k = 0; k < positions.Length; k++)
            Array.Copy(source.Buffer, source.Offset + k, result.Buffer, result.Offset + positions[k], 1);
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) => [inputShapes[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = Elemwise.IncrementGradients(node, outputGradients, AdvancedSubtensor.Op);
        if (SetInstead && grads[0] is { } gz)
            grads[0] = Set.MakeNode([gz, IncrementChecks.Zero(gz), .. node.inputs.Skip(2)]).outputs[0];
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input < 2;
}
