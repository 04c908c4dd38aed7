using static Theon.T;

namespace Theon.Ops;

/// <summary>The axes arguments of Theano's batch normalization and the reshaping of its parameters.</summary>
internal static class BatchNormAxes
{
    /// <summary>"per-activation" is axis 0, "spatial" is 0 and every axis from 2, or the axes given.</summary>
    public static int[] Of(Variable inputs, object axes) => axes switch
    {
        "per-activation" => [0],
        "spatial" => [0, .. Enumerable.Range(2, Math.Max(0, inputs.ndim - 2))],
        int a => [ReduceAxes.Single("batch_normalization", inputs, a)],
        int[] list => [.. ReduceAxes.Normalize("batch_normalization", inputs, list)!],
        _ => throw new ArgumentException($"batch_normalization: axes must be \"per-activation\", \"spatial\" or axis numbers, got {axes}.", nameof(axes)),
    };

    /// <summary>A parameter with the inputs' dimensions: as given, or with the normalized axes put back as broadcastable.</summary>
    public static Variable Broadcast(Variable inputs, Variable parameter, int[] axes, string name)
    {
        if (parameter.ndim == inputs.ndim)
        {
            foreach (var a in axes)
            {
                if (!parameter.type.broadcastable[a])
                    throw new ArgumentException($"batch_normalization: {name} ({parameter}, {parameter.type}) must be broadcastable (length 1) on the normalized axis {a}; use a row or addbroadcast.");
            }
            return parameter;
        }
        if (parameter.ndim != inputs.ndim - axes.Length)
            throw new ArgumentException($"batch_normalization: {name} ({parameter}, {parameter.type}) must have {inputs.ndim} dimensions, or {inputs.ndim - axes.Length} without the normalized axes ({string.Join(", ", axes)}) of {inputs} ({inputs.type}).");
        var next = 0;
        return dimshuffle(parameter, [.. Enumerable.Range(0, inputs.ndim).Select(a => axes.Contains(a) ? (object)'x' : next++)]);
    }

    /// <summary>A statistic computed with the inputs' dimensions, shaped back like <paramref name="parameter"/>.</summary>
    public static Variable Like(Variable statistic, Variable parameter, int[] axes) =>
        parameter.ndim == statistic.ndim ? statistic
            : dimshuffle(statistic, [.. Enumerable.Range(0, statistic.ndim).Where(a => !axes.Contains(a)).Cast<object>()]);
}
