using Theon.Values;

namespace Theon.Ops.Random;

/// <summary>
/// The number of successes in n trials of probability p. With W the largest n of the draw, element i's trial t
/// succeeds when word <c>i * W + t</c>, read as <c>w / 2^32</c>, is below p (exact in float64, so every backend
/// agrees). <c>n = 1</c> is a Bernoulli mask: one word per element.
/// </summary>
public sealed record Binomial(DType DType, int NDim) : RandomOp(DType, NDim)
{
    public override string Distribution => "binomial";

    protected override IReadOnlyList<string> ParameterNames => ["n", "p"];

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (DType.IsBool) throw new ArgumentException("binomial: dtype must be numeric, got bool.");
        if (inputs.Length == 4 && inputs[2].type.dtype.IsFloat)
            throw new ArgumentException(
                $"binomial: n must be an integer, got {InputNames.Describe(inputs[2])} of type {inputs[2].type}.");
        return base.MakeNode(inputs);
    }

    internal override (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters)
    {
        var (n, p) = (parameters[0], parameters[1]);
        foreach (var trials in n.All)
        {
            if (trials < 0)
                throw new ArgumentException($"binomial: n {InputNames.Describe(node.inputs[2])} must be >= 0, got {trials}.");
        }
        foreach (var probability in p.All)
        {
            if (!(probability is >= 0 and <= 1))
                throw new ArgumentException(
                    $"binomial: p {InputNames.Describe(node.inputs[3])} must be in [0, 1], got {probability}.");
        }
        var size = Shapes.Size(shape);
        var width = size == 0 ? 0 : (long)n.All.Max();
        var words = state.Words(size * width);
        var counts = new double[size];
        for (long i = 0; i < size; i++)
        {
            var (trials, probability) = ((long)n[i], p[i]);
            var successes = 0;
            for (long t = 0; t < trials; t++)
            {
                if (Success(words[i * width + t], probability)) successes++;
            }
            counts[i] = successes;
        }
        return (NDArray.FromArray(counts).reshape(shape).astype(DType), words.Length);
    }

    public static bool Success(uint w, double p) => RandomBits.Unit(w) < p;
}
