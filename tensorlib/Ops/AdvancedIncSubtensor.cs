using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// <c>x</c> with <c>y</c> added at the positions an advanced index picks (numpy's <c>add.at</c>; repeats accumulate),
/// or, with <see cref="SetInstead"/>, written there (numpy's <c>x[idx] = y</c>; of repeated positions the last wins).
/// </summary>
public sealed record AdvancedIncSubtensor(bool SetInstead = false) : Op, IInPlaceIncrement
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
        Check(node, result, inputs.AsSpan(1));
        Write(result, inputs.AsSpan(1));
        return [result];
    }

    public int[] Check(Apply node, NDArray x, ReadOnlySpan<NDArray> operands)
    {
        var indices = operands[1..].ToArray();
        var selected = InputNames.Indexing(node, () => ArrayMath.IndexedShape(x, indices));
        IncrementChecks.CheckFits(node, operands[0], selected);
        return selected;
    }

    /// <summary>Of repeated positions, a set keeps the last value (numpy's <c>x[idx] = y</c>); an increment adds them
    /// all (numpy's <c>add.at</c>).</summary>
    public void Write(NDArray x, ReadOnlySpan<NDArray> operands)
    {
        NDArray[] indices = operands[1..].ToArray();
        if (SetInstead) ArrayMath.SetAt(x, indices, operands[0]);
        else ArrayMath.AddAt(x, indices, operands[0]);
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
