using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// A reduction over some axes (all when <see cref="Axes"/> is null): sum, prod, max or min. keepdims is a
/// DimShuffle after it, as in Theano.
/// </summary>
public sealed record Reduce(string Kind, Seq<int>? Axes) : Op
{
    /// <summary>
    /// The dtype a sum or product accumulates in, which <see cref="MakeNode"/> sets from the input's dtype as
    /// Theano's <c>CAReduceDtype._acc_dtype</c> does: float64 for floats, int64 for bools and integers. (Theano
    /// accumulates unsigned integers in uint64, a dtype Theon does not have; they accumulate in int64.)
    /// </summary>
    public DType? AccDType { get; private init; }

    public override string Name => Kind switch
    {
        "sum" or "prod" => $"{Capitalized}{{{AxisText}acc_dtype={AccDType ?? DType.Float64}}}",
        _ => $"{Capitalized}{{{(Axes is null ? "" : AxisText)}{(Kind == "max" ? "maximum" : "minimum")}}}",
    };

    private string Capitalized => char.ToUpperInvariant(Kind[0]) + Kind[1..];

    private string AxisText => Axes is null ? "" : $"axis=[{string.Join(", ", Axes)}], ";

    private bool Accumulates => Kind is "sum" or "prod";

    public static Reduce Create(string kind, int ndim, int[]? axes)
    {
        if (axes is null) return new Reduce(kind, null);
        var normalized = axes.Select(a => a < 0 ? a + ndim : a).ToArray();
        foreach (var (a, original) in normalized.Zip(axes))
        {
            if (a < 0 || a >= ndim) throw new ArgumentException($"{kind}: axis {original} is out of range for {ndim} dimension(s).");
        }
        if (normalized.Distinct().Count() != normalized.Length) throw new ArgumentException($"{kind}: repeated axis in ({string.Join(", ", axes)}).");
        return new Reduce(kind, normalized.Order().ToArray());
    }

    private bool Reduces(int axis) => Axes is null || Axes.Contains(axis);

    public override Apply MakeNode(params Variable[] inputs)
    {
        var x = inputs.Single();
        if (Axes is not null && Axes.Any(a => a >= x.ndim))
            throw new ArgumentException($"{Name}: axis out of range for {x.type}.");
        var op = Accumulates ? this with { AccDType = x.type.dtype.IsFloat ? DType.Float64 : DType.Int64 } : this;
        // Theano's CAReduceDtype._output_dtype: integers sum into their accumulator, floats keep their dtype.
        var dtype = op.AccDType is { IsFloat: false } acc ? acc : x.type.dtype;
        var pattern = Enumerable.Range(0, x.ndim).Where(a => !Reduces(a)).Select(a => x.type.broadcastable[a]);
        return new Apply(op, [x], [new TensorType(dtype, pattern)]);
    }

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var axes = Axes?.ToArray();
        var accumulated = AccDType is { } acc ? Conversion.To(inputs[0], acc) : inputs[0];
        var result = Kind switch
        {
            "sum" => ArrayMath.Sum(accumulated, axes, false),
            "prod" => ArrayMath.Prod(accumulated, axes, false),
            "max" => ArrayMath.Max(inputs[0], axes, false),
            "min" => ArrayMath.Min(inputs[0], axes, false),
            _ => throw new InvalidOperationException($"unknown reduction {Kind}"),
        };
        var dtype = node.outputs[0].type.dtype;
        return [result.DType == dtype ? result : result.astype(dtype)];
    }

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [Enumerable.Range(0, node.inputs[0].ndim).Where(a => !Reduces(a)).Select(a => inputShapes[0][a]).ToArray()];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var x = node.inputs[0];
        if (outputGradients[0] is not { } gz || !x.type.dtype.IsFloat) return [null];
        var expanded = Expand(gz, x.ndim);
        return Kind switch
        {
            // every element contributes once
            "sum" => [fill(x, expanded)],
            "prod" => [ProdGrad(x, expanded, node.outputs[0])],
            // the gradient goes to the elements equal to the extreme value
            _ => [mul(expanded, eq(x, Expand(node.outputs[0], x.ndim)))],
        };
    }

    /// <summary>
    /// d(prod)/dxi is the product of the other elements: prod / xi where xi is not zero; where it is, the product of
    /// the group's non-zero elements if xi is the group's only zero, else zero (Theano's Prod.grad).
    /// </summary>
    private Variable ProdGrad(Variable x, Variable gz, Variable product)
    {
        var isZero = eq(x, 0);
        var onlyZero = eq(Expand(new Reduce("sum", Axes).MakeNode(isZero).outputs[0], x.ndim), 1);
        var withoutZeros = new Reduce("prod", Axes).MakeNode(@switch(isZero, ones_like(x), x)).outputs[0];
        return @switch(isZero,
            mul(gz, Expand(withoutZeros, x.ndim), onlyZero),
            mul(gz, true_div(Expand(product, x.ndim), x)));
    }

    /// <summary>Puts back the reduced axes as broadcastable ones.</summary>
    private Variable Expand(Variable reduced, int ndim)
    {
        var next = 0;
        var pattern = Enumerable.Range(0, ndim).Select(a => Reduces(a) ? (object)'x' : next++).ToArray();
        return reduced.dimshuffle(pattern);
    }
}
