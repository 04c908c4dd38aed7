using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// The Jacobian of a vector expression: row i is <c>grad(expression[i], wrt)</c>. Theano builds it with scan; this
/// op holds that row's graph, with i and the expression's free variables as its inner inputs, and runs it once per
/// element of the expression. Its own gradient is not implemented (Theano's scan has one).
/// </summary>
public sealed record JacobianRows : Op, IInnerGraphOp
{
    private readonly InnerGraph row;
    private readonly InnerGraph sizes;
    private readonly Variable expression;
    private readonly Variable wrt;

    public JacobianRows(Variable expression, Variable wrt, string disconnectedInputs, IReadOnlyList<Variable>? considerConstant)
    {
        (this.expression, this.wrt) = (expression, wrt);
        var index = lscalar("i");
        var rowGraph = grad(expression[index], wrt, disconnectedInputs, considerConstant);
        Free = [.. InnerGraph.FreeVariables([rowGraph, expression, shape(wrt)]).Where(v => v != index)];
        row = new InnerGraph([index, .. Free], [rowGraph]);
        sizes = new InnerGraph(Free, [shape(expression), shape(wrt)]);
    }

    /// <summary>The variables the rows depend on, which the node takes as inputs.</summary>
    public IReadOnlyList<Variable> Free { get; }

    /// <summary>One row's graph: inner input 0 is the row index, the others read the node's inputs.</summary>
    public InnerGraph Inner => row;

    public int? OuterInputOf(int innerInput) => innerInput == 0 ? null : innerInput - 1;

    public override string Name => $"Jacobian{{{expression}, {wrt}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != Free.Count)
            throw new ArgumentException($"{Name}: takes {Free.Count} inputs ({string.Join(", ", Free)}), got {inputs.Length}.");
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].type != Free[i].type)
                throw new ArgumentException($"{Name}: input {i} ({inputs[i]}) has type {inputs[i].type}, expected {Free[i].type} as {Free[i]}.");
        }
        var dtype = wrt.type.dtype.IsFloat ? wrt.type.dtype : DType.Parse(config.floatX);
        return new Apply(this, inputs, [new TensorType(dtype, [expression.type.broadcastable[0], .. wrt.type.broadcastable])]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shapes = sizes.Run(inputs);
        var length = (int)shapes[0].ToFlatArray<long>()[0];
        var wrtShape = shapes[1].ToFlatArray<long>().Select(n => (int)n).ToArray();
        var result = NDArray.Zeros(node.outputs[0].type.dtype, [length, .. wrtShape]);
        for (var i = 0; i < length; i++)
            result[i].CopyFrom(row.Run([NDArray.Scalar((long)i), .. inputs])[0]);
        return [result];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var actual = sizes.Substitute([shape(expression)[0], shape(wrt)], node.inputs);
        return [[actual[0], .. Enumerable.Range(0, wrt.ndim).Select(a => actual[1][a])]];
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new NotSupportedException($"the gradient of {Name} (the Jacobian, as a third derivative of a cost) is not implemented.");

    public bool Equals(JacobianRows? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
