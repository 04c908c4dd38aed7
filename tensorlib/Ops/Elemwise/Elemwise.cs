using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// A scalar op applied to every element, with Theano's broadcasting: inputs of lower rank are padded on the left
/// with broadcastable axes, and an axis broadcasts only where its type says it is broadcastable.
/// </summary>
public sealed record Elemwise(ScalarOp Scalar) : Op
{
    public override string Name => Scalar is Cast ? $"Elemwise{{{Scalar.Name}}}" : $"Elemwise{{{Scalar.Name},no_inplace}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (Scalar.Arity >= 0 ? inputs.Length != Scalar.Arity : inputs.Length < 2)
            throw new ArgumentException($"{Scalar.Name} takes {(Scalar.Arity >= 0 ? Scalar.Arity.ToString() : "two or more")} inputs, got {inputs.Length}.");
        inputs = AdoptTensorFloatType(inputs);
        var ndim = inputs.Max(v => v.ndim);
        var padded = inputs.Select(v => v.ndim == ndim ? v : PadLeft(v, ndim)).ToArray();
        var pattern = Enumerable.Range(0, ndim).Select(axis => padded.All(v => v.type.broadcastable[axis]));
        var dtype = Scalar.OutputDType([.. padded.Select(v => v.type.dtype)]);
        return new Apply(this, padded, [new TensorType(dtype, pattern)]);
    }

    /// <summary>
    /// A C# double literal takes the float dtype of the float tensors beside it, so <c>fvector * 0.5</c> stays float32
    /// (NumPy 2's and JAX's rule for Python scalars); beside integer tensors only, it stays floatX.
    /// </summary>
    private static Variable[] AdoptTensorFloatType(Variable[] inputs)
    {
        var tensorFloats = inputs.Where(v => v is not Constant { IsFloatLiteral: true } && v.type.dtype.IsFloat)
            .Select(v => v.type.dtype).ToArray();
        if (tensorFloats.Length == 0) return inputs;
        var target = DType.Upcast(tensorFloats);
        return [.. inputs.Select(v => v is Constant { IsFloatLiteral: true } c && c.type.dtype != target
            ? new Constant(c.data.astype(target)) { IsFloatLiteral = true }
            : v)];
    }

    private static Variable PadLeft(Variable v, int ndim) =>
        v.dimshuffle([.. Enumerable.Repeat<object>('x', ndim - v.ndim), .. Enumerable.Range(0, v.ndim).Cast<object>()]);

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        CheckShapes(node, inputs);
        var result = Scalar.Perform(inputs);
        var dtype = node.outputs[0].type.dtype;
        return [result.DType == dtype ? result : result.astype(dtype)];
    }

    private static void CheckShapes(Apply node, NDArray[] inputs) =>
        BroadcastRule.OutputShape(node, new BroadcastRule.Arrays(inputs), stackalloc int[node.outputs[0].ndim]);

    internal static int[] BroadcastShape(IReadOnlyList<NDArray> inputs)
    {
        var ndim = inputs.Max(a => a.ndim);
        var shape = new int[ndim];
        for (var axis = 0; axis < ndim; axis++)
        {
            shape[axis] = 1;
            foreach (var a in inputs)
            {
                var offset = axis - (ndim - a.ndim);
                if (offset >= 0 && a.shape[offset] != 1) shape[axis] = a.shape[offset];
            }
        }
        return shape;
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        var ndim = node.outputs[0].ndim;
        var shape = new Variable[ndim];
        for (var axis = 0; axis < ndim; axis++)
        {
            var source = Enumerable.Range(0, node.inputs.Count).FirstOrDefault(i => !node.inputs[i].type.broadcastable[axis], -1);
            shape[axis] = source < 0 ? SymbolicShapes.One : inputShapes[source][axis];
        }
        return [shape];
    }

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return new Variable?[node.inputs.Count];
        var output = node.outputs[0];
        var grads = new Variable?[node.inputs.Count];
        for (var i = 0; i < node.inputs.Count; i++)
        {
            var input = node.inputs[i];
            if (!output.type.dtype.IsFloat || Scalar.Grad(i, node.inputs, output, gz) is not { } g) continue;
            grads[i] = SumOverBroadcastAxes(g, input);
        }
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => Scalar.IsConnected(input);

    /// <summary>
    /// Reduces a gradient at the output's shape to the input's: sums over axes where the input was broadcast. A float
    /// input gets its own dtype; an integer input keeps the float gradient (Theano never makes a gradient integer).
    /// </summary>
    internal static Variable SumOverBroadcastAxes(Variable g, Variable input)
    {
        var axes = Enumerable.Range(0, input.ndim)
            .Where(axis => input.type.broadcastable[axis] && !g.type.broadcastable[axis]).ToArray();
        if (axes.Length > 0) g = sum(g, axis: axes, keepdims: true);
        if (input.type.dtype.IsFloat && g.type.dtype != input.type.dtype) g = cast(g, input.type.dtype);
        return g;
    }

    /// <summary>
    /// The gradients of an increment op (inputs x, y, then the indices): the output gradient for x, and for y the
    /// part of it that <paramref name="select"/> reads at the same indices, summed over the leading axes y lacks and
    /// over its broadcast axes.
    /// </summary>
    internal static Variable?[] IncrementGradients(Apply node, IReadOnlyList<Variable?> outputGradients, Op select)
    {
        var grads = new Variable?[node.inputs.Count];
        if (outputGradients[0] is not { } gz) return grads;
        var (y, selected) = (node.inputs[1], select.MakeNode([gz, .. node.inputs.Skip(2)]).outputs[0]);
        var leading = Enumerable.Range(0, selected.ndim - y.ndim).ToArray();
        grads[0] = gz;
        grads[1] = SumOverBroadcastAxes(leading.Length > 0 ? sum(selected, axis: leading) : selected, y);
        return grads;
    }

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) => Scalar.Style.Format(inputs);
}
