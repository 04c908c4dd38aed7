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
            ? [c.data.ToFlatArray<long>().Select(n => (Variable)SymbolicShapes.Int64(n)).ToArray()]
            : [SymbolicShapes.Of(node.outputs[0])];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        outputGradients[0] is { } gz && node.inputs[0].type.dtype.IsFloat
            ? [Elemwise.SumOverBroadcastAxes(reshape(gz, shape(node.inputs[0]), node.inputs[0].ndim), node.inputs[0]), null]
            : [null, null];

    public override bool IsConnected(Apply node, int input) => input == 0;
}
