using Theon.Ops;

namespace Theon;

public static partial class T
{
    public static partial class nnet
    {
        /// <summary>Theano's <c>elu</c>: x where x &gt; 0, else alpha (exp(x) - 1).</summary>
        public static Variable elu(Variable x, double alpha = 1.0) =>
            @switch(gt(x, Zero(x)), x, mul(Literal(alpha, x), expm1(x)));

        /// <summary>Theano's <c>selu</c>: scale · elu(x, alpha) with the self-normalizing constants of Klambauer et al.</summary>
        public static Variable selu(Variable x) =>
            mul(Literal(1.0507009873554804934193349852946, x), elu(x, 1.6732632423543772848170429916717));

        /// <summary>Theano's <c>hard_sigmoid</c>: clip(0.2 x + 0.5, 0, 1).</summary>
        public static Variable hard_sigmoid(Variable x)
        {
            var floating = x.type.dtype.IsFloat ? x : cast(x, x.type.dtype.ToFloat());
            return clip(add(mul(floating, Literal(0.2, floating)), Literal(0.5, floating)), Zero(floating), Literal(1.0, floating));
        }

        /// <summary>Theano's <c>ultra_fast_sigmoid</c>: a piecewise approximation of the sigmoid (error under 0.028).</summary>
        public static Variable ultra_fast_sigmoid(Variable x) => ApplyScalar(UltraFastSigmoid.Op, x);

        /// <summary>
        /// Theano's <c>logsoftmax</c>: log(softmax(x)) along the last axis, computed as x - max - log(sum(exp(x - max))).
        /// (The optimizer also turns a written-out <c>log(softmax(x))</c> into it.)
        /// </summary>
        public static Variable logsoftmax(Variable x) => LogSoftmax.Op.MakeNode(x).outputs[0];

        /// <summary>
        /// Theano's <c>sigmoid_binary_crossentropy</c>: binary_crossentropy(sigmoid(output), target) computed stably
        /// from the pre-sigmoid <paramref name="output"/>, softplus(-|output|) + output ((output &gt; 0) - target);
        /// its gradient is (sigmoid(output) - target) and -output, as Theano's.
        /// </summary>
        public static Variable sigmoid_binary_crossentropy(Variable output, Variable target) =>
            add(softplus(neg(abs(output))), mul(output, sub(cast(gt(output, Zero(output)), output.type.dtype.ToFloat()), target)));

        /// <summary>Theano's <c>batch_normalization</c>: (inputs - mean) · (gamma / std) + beta, elementwise.</summary>
        public static Variable batch_normalization(Variable inputs, Variable gamma, Variable beta, Variable mean, Variable std, string mode = "low_mem")
        {
            if (mode is not ("low_mem" or "high_mem"))
                throw new ArgumentException($"batch_normalization: mode must be \"low_mem\" or \"high_mem\", got \"{mode}\".", nameof(mode));
            return add(mul(sub(inputs, mean), true_div(gamma, std)), beta);
        }

        /// <summary>
        /// Theano's <c>batch_normalization_train</c>: normalizes <paramref name="inputs"/> by the mean and variance over
        /// <paramref name="axes"/> ("per-activation": axis 0; "spatial": 0 and 2...; or the axes), then scales by gamma
        /// and shifts by beta. Returns out, mean, invstd and, when running averages are given, their new values
        /// (the variance's made unbiased, m / (m - 1), as Theano's). gamma and beta have the inputs' dimensions with
        /// length 1 on the axes, or omit those axes; mean and invstd come back shaped as gamma.
        /// </summary>
        public static Variable[] batch_normalization_train(Variable inputs, Variable gamma, Variable beta, object? axes = null,
            double epsilon = 1e-4, double running_average_factor = 0.1, Variable? running_mean = null, Variable? running_var = null)
        {
            var norm = BatchNormAxes.Of(inputs, axes ?? "per-activation");
            if ((running_mean is null) != (running_var is null))
                throw new ArgumentException("batch_normalization_train: give both running_mean and running_var, or neither.");
            var (g, b) = (BatchNormAxes.Broadcast(inputs, gamma, norm, "gamma"), BatchNormAxes.Broadcast(inputs, beta, norm, "beta"));
            var mean = T.mean(inputs, norm, keepdims: true);
            var variance = @var(inputs, norm, keepdims: true);
            var invstd = inv(sqrt(add(variance, Literal(epsilon, variance))));
            var output = add(mul(sub(inputs, mean), invstd, g), b);
            var results = new List<Variable> { output, BatchNormAxes.Like(mean, gamma, norm), BatchNormAxes.Like(invstd, gamma, norm) };
            if (running_mean is not null && running_var is not null)
            {
                var factor = Literal(running_average_factor, mean);
                var keep = Literal(1 - running_average_factor, mean);
                var count = cast(ReduceAxes.Size([.. norm.Select(a => shape(inputs)[a])]), variance.type.dtype);
                var unbiased = mul(variance, true_div(count, sub(count, Literal(1.0, variance))));
                var rm = BatchNormAxes.Broadcast(inputs, running_mean, norm, "running_mean");
                var rv = BatchNormAxes.Broadcast(inputs, running_var, norm, "running_var");
                results.Add(BatchNormAxes.Like(add(mul(rm, keep), mul(mean, factor)), running_mean, norm));
                results.Add(BatchNormAxes.Like(add(mul(rv, keep), mul(unbiased, factor)), running_var, norm));
            }
            return [.. results];
        }

        /// <summary>Theano's <c>batch_normalization_test</c>: (inputs - mean) · gamma / sqrt(var + epsilon) + beta.</summary>
        public static Variable batch_normalization_test(Variable inputs, Variable gamma, Variable beta, Variable mean, Variable var,
            object? axes = null, double epsilon = 1e-4)
        {
            var norm = BatchNormAxes.Of(inputs, axes ?? "per-activation");
            var (g, b) = (BatchNormAxes.Broadcast(inputs, gamma, norm, "gamma"), BatchNormAxes.Broadcast(inputs, beta, norm, "beta"));
            var (m, v) = (BatchNormAxes.Broadcast(inputs, mean, norm, "mean"), BatchNormAxes.Broadcast(inputs, var, norm, "var"));
            return add(mul(sub(inputs, m), true_div(g, sqrt(add(v, Literal(epsilon, v))))), b);
        }

        /// <summary>A float literal that takes <paramref name="like"/>'s float dtype (floatX beside integers).</summary>
        private static Variable Literal(double value, Variable like) =>
            constant(NDArray.Scalar(value, like.type.dtype.IsFloat ? like.type.dtype : DType.Parse(config.floatX)));

        private static Variable Zero(Variable like) => constant(NDArray.Scalar(0, like.type.dtype));
    }
}
