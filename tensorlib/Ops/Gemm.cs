using System.Globalization;
using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// <c>c + alpha * op(a) · op(b)</c> in one GEMM call with beta = 1 (Theano's <c>Gemm</c>): the rewrite of an SGD
/// update such as <c>W - 0.01 * dot(x.T, g)</c>, which otherwise writes the product and reads it back.
/// </summary>
public sealed record Gemm(double Alpha, bool TransA, bool TransB) : Op
{
    public override string Name =>
        $"Gemm{{{Dot22.Flags(TransA, TransB)}, alpha={Alpha.ToString("R", CultureInfo.InvariantCulture)}}}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length != 3) throw new ArgumentException($"Gemm: expected c, a and b, got {inputs.Length} inputs.");
        var c = inputs[0];
        var (a, b) = Dot22.Check("Gemm", inputs[1..]);
        var product = Dot22.Product(a, b, TransA, TransB);
        if (c.type.dtype != a.type.dtype || c.ndim != 2 || c.type.broadcastable.Any(x => x)
            || product.broadcastable.Any(x => x))
            throw new ArgumentException($"Gemm: expected c of type {product}, got {c.type}.");
        return new Apply(this, [c, a, b], [c.type]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var product = Dot22.Multiply(inputs[1], inputs[2], TransA, TransB);
        if (!product.Dims.AsSpan().SequenceEqual(inputs[0].Dims))
            throw new ArgumentException(
                $"{Name}: c has shape {NDArray.ShapeString(inputs[0].shape)}, " +
                $"the product {NDArray.ShapeString(product.shape)}.");
        var result = ArrayMath.Add(inputs[0], ArrayMath.Multiply(NDArray.Scalar(Alpha, product.DType), product));
        return [result.DType == inputs[0].DType ? result : result.astype(inputs[0].DType)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) => [s[0]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new InvalidOperationException(
            "Gemm is made by the optimizer after gradients are taken; it has no gradient.");

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"({inputs[0]} + {Alpha.ToString("R", CultureInfo.InvariantCulture)} * " +
        $"({inputs[1]}{(TransA ? ".T" : "")} \\dot {inputs[2]}{(TransB ? ".T" : "")}))";
}
