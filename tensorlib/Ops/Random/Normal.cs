namespace Theon.Ops.Random;

/// <summary>
/// Normal numbers by the Box-Muller transform: elements 2m and 2m + 1 are <c>avg + std * z</c> with
/// <c>z = sqrt(-2 log u1) * (cos, sin)(2 pi u2)</c>, u1 in (0, 1] and u2 in [0, 1) from words 2m and 2m + 1
/// (float32) or 4m to 4m + 3 (float64). z is computed in float64 and rounded to the output dtype, the rest in
/// the output dtype.
/// </summary>
public sealed record Normal(DType DType, int NDim) : RandomOp(DType, NDim)
{
    public override string Distribution => "normal";

    protected override IReadOnlyList<string> ParameterNames => ["avg", "std"];

    protected override bool FloatOnly => true;

    public static long Words(DType dtype, long count) => (count + 1) / 2 * (dtype == DType.Float32 ? 2 : 4);

    internal override (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters)
    {
        var (avg, std) = (parameters[0], parameters[1]);
        foreach (var s in std.All)
        {
            if (!(s >= 0))
                throw new ArgumentException($"normal: std {InputNames.Describe(node.inputs[3])} must be >= 0, got {s}.");
        }
        var sample = NDArray.Zeros(DType, shape);
        var words = state.Words(Words(DType, sample.size));
        var single = DType == DType.Float32;
        for (long m = 0; 2 * m < sample.size; m++)
        {
            var (z0, z1) = single
                ? Standard(1 - RandomBits.Float(words[2 * m]), RandomBits.Float(words[2 * m + 1]))
                : Standard(1 - RandomBits.Double(words[4 * m], words[4 * m + 1]),
                    RandomBits.Double(words[4 * m + 2], words[4 * m + 3]));
            Store(sample, 2 * m, z0, avg, std);
            if (2 * m + 1 < sample.size) Store(sample, 2 * m + 1, z1, avg, std);
        }
        return (sample, words.Length);
    }

    private static void Store(NDArray sample, long i, double z, Parameter avg, Parameter std)
    {
        if (sample.DType == DType.Float32)
            sample.Span<float>()[(int)i] = (float)avg[i] + (float)std[i] * (float)z;
        else
            sample.Span<double>()[(int)i] = avg[i] + std[i] * z;
    }

    /// <summary>Two independent standard normals from u1 in (0, 1] and u2 in [0, 1).</summary>
    public static (double, double) Standard(double u1, double u2)
    {
        var r = Math.Sqrt(-2 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
        return (r * cos, r * sin);
    }

    /// <summary>
    /// The reparameterization gradient: the sample is <c>avg + std * z</c> with z the standard draw from the same
    /// state, so d/davg = 1 and d/dstd = z. Theano declares no gradient here (<c>grad_undefined</c>).
    /// </summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        if (outputGradients[1] is not { } g) return grads;
        var z = MakeNode(node.inputs[0], node.inputs[1], T.constant(NDArray.Scalar(0.0, DType)),
            T.constant(NDArray.Scalar(1.0, DType))).outputs[1];
        grads[2] = ParameterGradient(g, node.inputs[2]);
        grads[3] = ParameterGradient(g * z, node.inputs[3]);
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input >= 2;
}
