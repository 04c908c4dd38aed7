using Theon.Values;

namespace Theon.Ops.Random;

/// <summary>
/// Theano's <c>permutation_helper</c>: for each of the <c>prod(size)</c> positions of <c>size</c>, a permutation
/// of <c>arange(n)</c> along a new last axis. Row r is a Fisher-Yates shuffle using words <c>r * n</c> to
/// <c>r * n + n - 2</c>: step t swaps t with <c>t + w * (n - t) / 2^32</c>.
/// </summary>
public sealed record Permutation(DType DType, int NDim) : RandomOp(DType, NDim)
{
    public override string Distribution => "permutation_helper";

    protected override IReadOnlyList<string> ParameterNames => ["n"];

    protected override bool Broadcasts(int parameter) => false;

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (inputs.Length == 3 && (inputs[2].ndim != 0 || inputs[2].type.dtype.IsFloat || inputs[2].type.dtype.IsBool))
            throw new ArgumentException(
                $"permutation: n must be an integer scalar, got {InputNames.Describe(inputs[2])} of type {inputs[2].type}.");
        return base.MakeNode(inputs);
    }

    protected override IEnumerable<bool> ExtraAxes(IReadOnlyList<Variable> inputs) =>
        [inputs[2] is Constant { ScalarValue: 1 }];

    protected override IEnumerable<Variable> ExtraShape(Apply node) => [T.cast(node.inputs[2], DType.Int64)];

    internal override (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters)
    {
        var n = (long)parameters[0].Scalar;
        if (n < 0 || n > int.MaxValue)
            throw new ArgumentException($"permutation: n {InputNames.Describe(node.inputs[2])} must be in [0, 2^31), got {n}.");
        var rows = Shapes.Size(shape);
        var words = state.Words(rows * n);
        var values = new long[rows * n];
        for (long r = 0; r < rows; r++)
        {
            var row = values.AsSpan((int)(r * n), (int)n);
            for (var j = 0; j < n; j++) row[j] = j;
            for (var t = 0; t < n - 1; t++)
            {
                var j = t + (int)RandomBits.Below(words[r * n + t], n - t);
                (row[t], row[j]) = (row[j], row[t]);
            }
        }
        return (NDArray.FromArray(values).reshape([.. shape, (int)n]).astype(DType), words.Length);
    }
}
