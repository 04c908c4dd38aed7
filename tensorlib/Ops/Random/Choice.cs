using Theon.Values;

namespace Theon.Ops.Random;

/// <summary>
/// numpy's <c>choice(a, size, replace, p)</c>, Theano's <c>choice_helper</c>: <c>prod(size)</c> elements of
/// <c>arange(a)</c> (a an integer) or of the vector a, with probabilities p (an empty p: equal), with or without
/// replacement. Pick k uses word k: with replacement and equal probabilities, index <c>w * N / 2^32</c>; with p,
/// the first index whose cumulative probability exceeds <c>w / 2^32</c>; without replacement, a partial
/// Fisher-Yates shuffle (equal probabilities) or a draw from the weights left (with p).
/// </summary>
public sealed record Choice(DType DType, int NDim) : RandomOp(DType, NDim)
{
    public override string Distribution => "choice_helper";

    protected override IReadOnlyList<string> ParameterNames => ["a", "replace", "p"];

    protected override bool Broadcasts(int parameter) => false;

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length == 5)
        {
            if (inputs[2].ndim > 1)
                throw new ArgumentException(
                    $"choice: a must be an integer or a vector, got {InputNames.Describe(inputs[2])} of type {inputs[2].type}.");
            if (inputs[2].ndim == 0 && inputs[2].type.dtype.IsFloat)
                throw new ArgumentException(
                    $"choice: a scalar a must be an integer, got {InputNames.Describe(inputs[2])} of type {inputs[2].type}.");
            if (inputs[3].ndim != 0)
                throw new ArgumentException($"choice: replace must be a scalar, got {inputs[3].type}.");
            if (inputs[4].ndim != 1 || !inputs[4].type.dtype.IsFloat)
                throw new ArgumentException(
                    $"choice: p must be a float vector (empty for equal probabilities), got {InputNames.Describe(inputs[4])} of type {inputs[4].type}.");
        }
        return base.MakeNode(inputs);
    }

    internal override (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters)
    {
        var (a, replace, p) = (parameters[0], parameters[1].Scalar != 0, parameters[2]);
        var population = node.inputs[2].ndim == 0 ? (long)a.Scalar : a.Count;
        var k = Shapes.Size(shape);
        var weights = Weights(node, p, population);
        if (population < 1 && k > 0)
            throw new ArgumentException($"choice: a {InputNames.Describe(node.inputs[2])} must be at least 1 (the population is empty).");
        if (population > uint.MaxValue)
            throw new ArgumentException($"choice: the population a has {population} elements, more than 2^32 - 1.");
        var available = weights?.Count(w => w > 0) ?? population;
        if (!replace && k > available)
            throw new ArgumentException(
                $"choice: cannot take {k} elements without replacement from a population of {available}{(weights is null ? "" : " with non-zero probability")}.");
        var words = state.Words(k);
        var indices = replace
            ? (weights is null ? WithReplacement(words, population) : Weighted(words, weights))
            : (weights is null ? Shuffled(words, population) : WeightedWithoutReplacement(words, weights));
        var values = node.inputs[2].ndim == 0 ? indices.Select(i => (double)i) : indices.Select(i => a[i]);
        return (NDArray.FromArray(values.ToArray()).reshape(shape).astype(DType), k);
    }

    private static double[]? Weights(Apply node, Parameter p, long population)
    {
        if (node.inputs[4] is Constant { data.size: 0 } || p.Count == 0 && !p.IsScalar) return null;
        var weights = p.All.ToArray();
        if (weights.Length != population)
            throw new ArgumentException(
                $"choice: p {InputNames.Describe(node.inputs[4])} has {weights.Length} elements, the population a has {population}.");
        if (weights.Any(w => !(w >= 0)) || Math.Abs(weights.Sum() - 1) > 1e-8)
            throw new ArgumentException(
                $"choice: p {InputNames.Describe(node.inputs[4])} must be non-negative and sum to 1, got sum {weights.Sum()}.");
        return weights;
    }

    private static long[] WithReplacement(uint[] words, long population) =>
        [.. words.Select(w => RandomBits.Below(w, population))];

    private static long[] Weighted(uint[] words, double[] weights)
    {
        var cumulative = new double[weights.Length];
        var total = 0.0;
        for (var j = 0; j < weights.Length; j++) cumulative[j] = total += weights[j];
        return [.. words.Select(w => (long)Pick(cumulative, RandomBits.Unit(w) * total))];
    }

    private static int Pick(double[] cumulative, double target)
    {
        var j = Array.BinarySearch(cumulative, target);
        j = j < 0 ? ~j : j + 1;
        // Never past the last index, nor on an index of probability zero at the end.
        while (j >= cumulative.Length || j > 0 && cumulative[j] == cumulative[j - 1]) j--;
        return j;
    }

    private static long[] Shuffled(uint[] words, long population)
    {
        var items = new long[population];
        for (long j = 0; j < population; j++) items[j] = j;
        for (var t = 0; t < words.Length; t++)
        {
            var j = t + RandomBits.Below(words[t], population - t);
            (items[t], items[j]) = (items[j], items[t]);
        }
        return items[..words.Length];
    }

    private static long[] WeightedWithoutReplacement(uint[] words, double[] weights)
    {
        var left = (double[])weights.Clone();
        var picks = new long[words.Length];
        for (var t = 0; t < words.Length; t++)
        {
            var cumulative = new double[left.Length];
            var total = 0.0;
            for (var j = 0; j < left.Length; j++) cumulative[j] = total += left[j];
            var pick = Pick(cumulative, RandomBits.Unit(words[t]) * total);
            picks[t] = pick;
            left[pick] = 0;
        }
        return picks;
    }
}
