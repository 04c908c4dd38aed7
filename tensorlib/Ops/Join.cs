using static Theon.T;

namespace Theon.Ops;

/// <summary>Tensors joined along an existing axis (numpy's concatenate).</summary>
public sealed record Join(int Axis) : Op
{
    public override string Name => "Join";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("concatenate needs at least one tensor.");
        var ndim = inputs[0].ndim;
        if (inputs.Any(v => v.ndim != ndim))
            throw new ArgumentException($"concatenate: all inputs need the same number of dimensions, got {string.Join(", ", inputs.Select(v => v.type))}.");
        if (Axis < 0 || Axis >= ndim) throw new ArgumentException($"concatenate: axis {Axis} is out of range for {ndim} dimension(s).");
        var dtype = DType.Upcast([.. inputs.Select(v => v.type.dtype)]);
        var cast = inputs.Select(v => v.type.dtype == dtype ? v : T.cast(v, dtype)).ToArray();
        var pattern = Enumerable.Range(0, ndim).Select(a => a == Axis ? inputs.Length == 1 && inputs[0].type.broadcastable[a] : inputs.All(v => v.type.broadcastable[a]));
        return new Apply(this, cast, [new TensorType(dtype, pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        for (var axis = 0; axis < inputs[0].ndim; axis++)
        {
            if (axis != Axis && inputs.Any(a => a.shape[axis] != inputs[0].shape[axis]))
                throw new ArgumentException($"concatenate along axis {Axis}: shapes {string.Join(", ", inputs.Select(a => NDArray.ShapeString(a.shape)))} differ on axis {axis}.");
        }
        return [Values.ArrayMath.Concatenate(inputs, Axis)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[0].Select((n, a) => a == Axis ? add([.. inputShapes.Select(s => s[a])]) : n).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return new Variable?[node.inputs.Count];
        var grads = new Variable?[node.inputs.Count];
        Variable start = SymbolicShapes.Int64(0);
        for (var i = 0; i < node.inputs.Count; i++)
        {
            var stop = add(start, shape(node.inputs[i])[Axis]);
            var index = Enumerable.Range(0, node.inputs[0].ndim).Select(a => a == Axis ? (object)slice(start, stop) : slice(null, null)).ToArray();
            if (node.inputs[i].type.dtype.IsFloat) grads[i] = Elemwise.SumOverBroadcastAxes(gz[index], node.inputs[i]);
            start = stop;
        }
        return grads;
    }

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"Join(TensorConstant{{{Axis}}}, {string.Join(", ", inputs)})";
}
