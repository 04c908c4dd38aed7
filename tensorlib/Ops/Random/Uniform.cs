namespace Theon.Ops.Random;

/// <summary>
/// Uniform numbers in [low, high): element i is <c>low + (high - low) * u</c>, u from word i (float32, 24 bits) or
/// words 2i and 2i + 1 (float64, 53 bits), computed in the output dtype.
/// </summary>
public sealed record Uniform(DType DType, int NDim) : RandomOp(DType, NDim)
{
    public override string Distribution => "uniform";

    protected override IReadOnlyList<string> ParameterNames => ["low", "high"];

    protected override bool FloatOnly => true;

    public static long WordsPerElement(DType dtype) => dtype == DType.Float32 ? 1 : 2;

    internal override (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters)
    {
        var (low, high) = (parameters[0], parameters[1]);
        var sample = NDArray.Zeros(DType, shape);
        var words = state.Words(sample.size * WordsPerElement(DType));
        if (DType == DType.Float32)
        {
            var output = sample.Span<float>();
            for (var i = 0; i < output.Length; i++) output[i] = Element(words[i], (float)low[i], (float)high[i]);
        }
        else
        {
            var output = sample.Span<double>();
            for (var i = 0; i < output.Length; i++)
                output[i] = Element(words[2 * i], words[2 * i + 1], low[i], high[i]);
        }
        return (sample, words.Length);
    }

    public static float Element(uint w, float low, float high) => low + (high - low) * RandomBits.Float(w);

    public static double Element(uint w0, uint w1, double low, double high) =>
        low + (high - low) * RandomBits.Double(w0, w1);

    /// <summary>
    /// The reparameterization gradient: the sample is <c>low + (high - low) * u</c> with u the same op's draw on
    /// [0, 1) from the same state (the same numbers), so d/dlow = 1 - u and d/dhigh = u. Theano declares no
    /// gradient here (<c>grad_undefined</c>); this one is what a pathwise estimator needs.
    /// </summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients)
    {
        var grads = new Variable?[node.inputs.Count];
        if (outputGradients[1] is not { } g) return grads;
        var u = MakeNode(node.inputs[0], node.inputs[1], T.constant(NDArray.Scalar(0.0, DType)),
            T.constant(NDArray.Scalar(1.0, DType))).outputs[1];
        grads[2] = ParameterGradient(g * (1.0 - u), node.inputs[2]);
        grads[3] = ParameterGradient(g * u, node.inputs[3]);
        return grads;
    }

    public override bool IsConnected(Apply node, int input) => input >= 2;
}
