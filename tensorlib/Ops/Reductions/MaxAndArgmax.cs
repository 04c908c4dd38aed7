using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>MaxAndArgmax</c>: the largest element over some axes and its position among them (int64; with several
/// axes, the position in those axes flattened in C order, as Theano's argmax over several axes).
/// </summary>
public sealed record MaxAndArgmax(Seq<int> Axes) : Op
{
    public override string Name => $"MaxAndArgmax{{axis={ReduceAxes.Tuple(Axes)}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Axes.Count == 0 || Axes.Any(a => a >= x.ndim))
            throw new ArgumentException($"{Name}: the axes must be some of the {x.ndim} of {x} ({x.type}).");
        var kept = ReduceAxes.Kept(x, Axes).ToArray();
        return new Apply(this, [x], [new TensorType(x.type.dtype, kept), new TensorType(DType.Int64, kept)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var x = inputs[0];
        var kept = Enumerable.Range(0, x.ndim).Where(a => !Axes.Contains(a)).ToArray();
        var reducedSize = Axes.Aggregate(1, (n, a) => n * x.shape[a]);
        if (reducedSize == 0)
            throw new ArgumentException($"{Name}: the input {node.inputs[0]} has shape {NDArray.ShapeString(x.shape)}, with nothing to reduce along axes {ReduceAxes.Tuple(Axes)}.");
        var lanes = x.transpose([.. kept, .. Axes]).Copy().reshape([.. kept.Select(a => x.shape[a]), reducedSize]);
        return [ArrayMath.Max(lanes, [kept.Length], false), ArrayMath.Argmax(lanes, kept.Length, false)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes)
    {
        IReadOnlyList<Variable> kept = [.. inputShapes[0].Where((_, a) => !Axes.Contains(a))];
        return [kept, kept];
    }

    /// <summary>Theano's MaxAndArgmax.grad: the max's gradient goes to the elements equal to the max.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var x = node.inputs[0];
        if (outputGradients[0] is not { } gz || !x.type.dtype.IsFloat) return [null];
        var ndim = x.ndim;
        return [mul(ReduceAxes.Expand(gz, ndim, Axes), eq(x, ReduceAxes.Expand(node.outputs[0], ndim, Axes)))];
    }
}
