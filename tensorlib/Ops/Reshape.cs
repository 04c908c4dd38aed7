using static Theon.T;

namespace Theon.Ops;

/// <summary>A new shape for the same elements (C order), given as an int64 vector; one entry may be -1.</summary>
public sealed record Reshape(int Ndim) : Op
{
    public override string Name => $"Reshape{{{Ndim}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (x, shape) = (inputs[0], inputs[1]);
        if (shape.ndim != 1 || !shape.type.dtype.IsInteger)
            throw new ArgumentException($"reshape: the shape must be an integer vector, got {shape.type}.");
        var pattern = shape is Constant c
            ? c.data.ToFlatArray<long>().Select(n => n == 1)
            : Enumerable.Repeat(false, Ndim);
        return new Apply(this, [x, shape], [x.type.WithBroadcastable(pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var shape = inputs[1].ToFlatArray<long>().Select(n => (int)n).ToArray();
        if (shape.Length != Ndim) throw new ArgumentException($"{Name}: the shape {NDArray.ShapeString(shape)} has {shape.Length} entries, expected {Ndim}.");
        try
        {
            return [inputs[0].reshape(shape)];
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"reshape: cannot reshape an array of shape {NDArray.ShapeString(inputs[0].shape)} into shape {NDArray.ShapeString(shape)}.", e);
        }
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        node.inputs[1] is Constant c && c.data.ToFlatArray<long>().All(n => n >= 0)
            ? [c.data.ToFlatArray<long>().Select(n => (Variable)ShapeOps.Int64(n)).ToArray()]
            : [ShapeOps.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        outputGradients[0] is { } gz && node.inputs[0].type.dtype.IsFloat
            ? [Elemwise.SumOverBroadcastAxes(reshape(gz, shape(node.inputs[0]), node.inputs[0].ndim), node.inputs[0]), null]
            : [null, null];

    public override bool IsConnected(Apply node, int input) => input == 0;
}

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
        return [Values.Kernels.Concatenate(inputs, Axis)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [inputShapes[0].Select((n, a) => a == Axis ? add([.. inputShapes.Select(s => s[a])]) : n).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        if (outputGradients[0] is not { } gz) return new Variable?[node.inputs.Count];
        var grads = new Variable?[node.inputs.Count];
        Variable start = ShapeOps.Int64(0);
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
