namespace Theon;

/// <summary>The symbolic gradient of a function disagrees with its finite-difference estimate.</summary>
public sealed class GradientError(string message) : Exception(message);

public static partial class T
{
    /// <summary>
    /// Checks the symbolic gradient of <paramref name="fun"/> at <paramref name="points"/> against central finite
    /// differences, at float64 (Theano's verify_grad). The output is projected on a random direction so that
    /// non-scalar outputs are checked in every component. As in Theano, an axis of length 1 in a point makes that
    /// input broadcastable on it (a (1, n) point is a row). As in Theano, inputs the output does not use are allowed
    /// (their gradient is zero). Throws <see cref="GradientError"/> on a mismatch.
    /// </summary>
    public static void verify_grad(Func<Variable[], Variable> fun, IReadOnlyList<NDArray> points, int seed = 0,
        double eps = 1e-6, double abs_tol = 1e-4, double rel_tol = 1e-4)
    {
        var values = points.Select(p => p.astype(DType.Float64)).ToArray();
        var inputs = values
            .Select((p, i) => new Variable(new TensorType(DType.Float64, p.shape.Select(n => n == 1)), name: $"input{i}"))
            .ToArray();
        var output = fun(inputs);
        var random = new Random(seed);
        var outputValue = function(inputs, output, on_unused_input: "ignore")([.. values.Cast<object>()]);
        var projection = NDArray.FromArray(Enumerable.Range(0, outputValue.size).Select(_ => random.NextDouble() + 0.5).ToArray())
            .reshape(outputValue.shape).astype(output.type.dtype);
        var cost = sum(mul(output, constant(projection)));
        var costFunction = function(inputs, cost, on_unused_input: "ignore");
        var analytic = function(inputs, grad(cost, inputs, disconnected_inputs: "ignore"), on_unused_input: "ignore")(
            [.. values.Cast<object>()]);

        for (var i = 0; i < values.Length; i++)
        {
            var numeric = new double[values[i].size];
            for (var k = 0; k < numeric.Length; k++)
            {
                var shifted = values.Select(v => v.Copy()).ToArray();
                var at = Unravel(k, values[i].shape);
                var original = values[i].GetItem<double>(at);
                shifted[i].SetItem(original + eps, at);
                var plus = (double)costFunction([.. shifted.Cast<object>()]);
                shifted[i].SetItem(original - eps, at);
                var minus = (double)costFunction([.. shifted.Cast<object>()]);
                numeric[k] = (plus - minus) / (2 * eps);
            }
            if (!analytic[i].shape.SequenceEqual(values[i].shape))
                throw new GradientError(
                    $"verify_grad: the gradient of input {i} has shape {NDArray.ShapeString(analytic[i].shape)}, " +
                    $"the input has shape {NDArray.ShapeString(values[i].shape)}.");
            var symbolic = analytic[i].ToFlatArray<double>();
            for (var k = 0; k < numeric.Length; k++)
            {
                var absError = Math.Abs(symbolic[k] - numeric[k]);
                var relError = absError / Math.Max(Math.Abs(symbolic[k]) + Math.Abs(numeric[k]), 1e-8);
                if (absError > abs_tol && relError > rel_tol)
                    throw new GradientError(
                        $"verify_grad: the gradient of input {i} at element {k} is {symbolic[k]:R} symbolically and {numeric[k]:R} by finite differences " +
                        $"(abs error {absError:G3}, rel error {relError:G3}; tolerances {abs_tol}, {rel_tol}).");
            }
        }
    }

    public static void verify_grad(Func<Variable, Variable> fun, NDArray point, int seed = 0) =>
        verify_grad(inputs => fun(inputs[0]), [point], seed);

    private static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
