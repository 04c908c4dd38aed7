using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's symbolic loop: runs <see cref="Inner"/> once per step, feeding each recurrent output's earlier rows back
/// through its taps (see <see cref="ScanLayout"/> for the order of inputs and outputs). Made by <c>scan</c>; its
/// gradient is another scan that runs backwards in time.
/// </summary>
public sealed record Scan(ScanLayout Layout, InnerGraph Inner) : Op, IInnerGraphOp
{
    public override string Name => $"for{{cpu,{Layout.FnName}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var l = Layout;
        if (inputs.Length != l.OuterInputCount)
            throw new ArgumentException($"{Name}: expected {l.OuterInputCount} inputs, got {inputs.Length}.");
        if (Inner.Inputs.Count != l.InnerInputCount || Inner.Outputs.Count != l.OutputCount)
            throw new ArgumentException($"{Name}: the inner graph has {Inner.Inputs.Count} inputs and {Inner.Outputs.Count} outputs, the layout {l.InnerInputCount} and {l.OutputCount}.");
        if (inputs[0].ndim != 0 || !inputs[0].type.dtype.IsInteger)
            throw new ArgumentException($"{Name}: n_steps must be an integer scalar, got {InputNames.Describe(inputs[0])} of type {inputs[0].type}.");
        for (var j = 0; j < l.Sequences; j++)
            CheckRows(inputs[1 + j], Inner.Inputs[j], $"sequence {j}");
        var outputTypes = new List<TensorType>();
        for (var i = 0; i < l.Recurrent; i++)
        {
            var state = Inner.Inputs[l.InnerTap(i, 0)];
            CheckRows(inputs[l.FirstInit + i], state, $"the initial state (outputs_info {i})");
            for (var k = 1; k < l.Taps[i].Count; k++)
            {
                if (Inner.Inputs[l.InnerTap(i, k)].type != state.type)
                    throw new ArgumentException($"{Name}: the taps of output {i} have different types.");
            }
            CheckStep(Inner.Outputs[i], state, i);
            if (l.KeepsLastOnly(i) && l.Taps[i] is not [-1])
                throw new ArgumentException($"{Name}: output {i} keeps its last state only, which needs taps [-1].");
            outputTypes.Add(l.KeepsLastOnly(i) ? state.type : new TensorType(state.type.dtype, [false, .. state.type.broadcastable]));
        }
        for (var q = 0; q < l.NotFedBack; q++)
        {
            var z = Inner.Outputs[l.Recurrent + q];
            outputTypes.Add(new TensorType(z.type.dtype, [false, .. z.type.broadcastable]));
        }
        for (var p = 0; p < l.NonSequences; p++)
        {
            var (outer, inner) = (inputs[l.FirstOuterNonSequence + p], Inner.Inputs[l.FirstInnerNonSequence + p]);
            if (outer.type.dtype != inner.type.dtype || outer.ndim != inner.ndim)
                throw new ArgumentException($"{Name}: non-sequence {p} ({InputNames.Describe(outer)}) has type {outer.type}, the step reads it as {inner.type}.");
        }
        return new Apply(this, [cast(inputs[0], DType.Int64), .. inputs.Skip(1)], outputTypes);
    }

    /// <summary>An outer tensor read one row (of <paramref name="row"/>'s type) at a time.</summary>
    private void CheckRows(Variable outer, Variable row, string what)
    {
        if (outer.type.dtype != row.type.dtype || outer.ndim != row.ndim + 1)
            throw new ArgumentException(
                $"{Name}: {what} ({InputNames.Describe(outer)}) has type {outer.type}; the step input {InputNames.Describe(row)} " +
                $"of type {row.type} needs a {row.type.dtype} tensor with {row.ndim + 1} dimensions.");
    }

    /// <summary>A recurrent step output must have its state's type, as Theano requires.</summary>
    private void CheckStep(Variable output, Variable state, int i)
    {
        var fits = output.type.dtype == state.type.dtype && output.ndim == state.ndim
                   && output.type.broadcastable.Zip(state.type.broadcastable).All(p => p.First || !p.Second);
        if (!fits)
            throw new ArgumentException(
                $"{Name}: step output {i} ({InputNames.Describe(output)}) has type {output.type}, but it is fed back as " +
                $"{InputNames.Describe(state)} of type {state.type} (its initial state in outputs_info); the step must " +
                "return the state's dtype and number of dimensions (cast it, or change outputs_info).");
    }

    /// <summary>The outer input that inner input <paramref name="innerInput"/> reads (a sequence, an initial state or
    /// a non-sequence).</summary>
    public int OuterInputOf(int innerInput)
    {
        var l = Layout;
        if (innerInput < l.Sequences) return 1 + innerInput;
        if (innerInput >= l.FirstInnerNonSequence) return innerInput - l.FirstInnerNonSequence + l.FirstOuterNonSequence;
        var i = Enumerable.Range(0, l.Recurrent).Last(r => l.InnerTap(r, 0) <= innerInput);
        return l.FirstInit + i;
    }

    int? IInnerGraphOp.OuterInputOf(int innerInput) => OuterInputOf(innerInput);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) =>
        ScanLoop.Run(node, inputs, new InterpretedStep(Inner), Interrupts.Token);

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var steps = node.inputs[0];
        var shapes = new IReadOnlyList<Variable>[node.outputs.Count];
        for (var i = 0; i < Layout.Recurrent; i++)
        {
            var init = inputShapes[Layout.FirstInit + i];
            shapes[i] = Layout.KeepsLastOnly(i)
                ? [.. init.Skip(1)]
                : [add(steps, SymbolicShapes.Int64(Layout.InitialRows(i))), .. init.Skip(1)];
        }
        for (var q = Layout.Recurrent; q < shapes.Length; q++) shapes[q] = SymbolicShapes.Of(node.outputs[q]);
        return shapes;
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        ScanGrad.Build(node, outputGradients);

    public override bool IsConnected(Apply node, int input) => input > 0;

    /// <summary>Theano runs a scan whenever its inputs are constants too; folding it would hide the loop from the
    /// backend.</summary>
    public override bool CanConstantFold => false;
}
