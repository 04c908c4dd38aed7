namespace Theon;

/// <summary>
/// An operation of the graph. A subclass is a <c>sealed record</c> (its equality lets equal nodes merge) that keeps,
/// in one file, everything the op is: <see cref="MakeNode"/> (type checks and output types), <see cref="Perform"/>
/// (the reference implementation every backend is tested against), <see cref="InferShape"/>, <see cref="Grad"/>
/// (the pullback, as a graph) and its printed forms.
/// </summary>
public abstract record Op
{
    /// <summary>Checks the inputs and builds the node; the only place an <see cref="Apply"/> of this op is made.</summary>
    public abstract Apply MakeNode(params Variable[] inputs);

    /// <summary>Computes the outputs from input values. Never changes its inputs.</summary>
    public abstract NDArray[] Perform(Apply node, NDArray[] inputs);

    /// <summary>The symbolic shape of each output (int64 scalars), from the inputs' symbolic shapes.</summary>
    public abstract IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes);

    /// <summary>
    /// The gradient of a scalar cost with respect to each input, given the gradients with respect to the outputs
    /// (a null output gradient means the cost does not depend on that output). A null result marks an input
    /// the outputs do not depend on differentiably.
    /// </summary>
    public abstract Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients);

    /// <summary>
    /// Theano's <c>connection_pattern</c>: false for an input whose elements the outputs never read (a shape, the
    /// indices of a selection). <c>grad</c> calls an input that reaches the cost only through such inputs
    /// disconnected; one that reaches it through a connected input whose gradient is null gets zeros.
    /// </summary>
    public virtual bool IsConnected(Apply node, int input) => true;

    /// <summary>The name debugprint shows, as Theano's <c>str(op)</c>: <c>Elemwise{mul,no_inplace}</c>, <c>dot</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The pp form of output <paramref name="output"/> given its inputs' pp forms.</summary>
    public virtual string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"{Name}({string.Join(", ", inputs)})";

    /// <summary>False for ops that must not be evaluated when the graph is optimized (random, very large results).</summary>
    public virtual bool CanConstantFold => true;

    public sealed override string ToString() => Name;
}
