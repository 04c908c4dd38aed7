namespace Theon.Ops;

/// <summary>
/// <c>config.compute_test_value</c> and scan, as in Theano: the step's placeholders take their first step's test
/// value from the outer values, so a shape mistake in the step raises where <c>fn</c> builds it; the graphs scan
/// derives itself (placeholders of non-sequences, gradients, rewrites) are built with test values off, since they
/// come from steps already checked, and the scan node itself runs its loop on the outer test values.
/// </summary>
internal static class StepTestValues
{
    /// <summary>Sets <paramref name="placeholder"/>'s test value when test values are on and the outer one is known.</summary>
    public static void From(Variable placeholder, Variable outer, Func<NDArray, NDArray> firstStep)
    {
        if (T.config.compute_test_value == "off" || outer.tag.test_value is not { } value) return;
        placeholder.tag.test_value = firstStep(value);
    }

    /// <summary>Builds a derived graph with test values off.</summary>
    public static TResult Off<TResult>(Func<TResult> build)
    {
        var mode = T.config.compute_test_value;
        if (mode == "off") return build();
        T.config.compute_test_value = "off";
        try
        {
            return build();
        }
        finally
        {
            T.config.compute_test_value = mode;
        }
    }
}
