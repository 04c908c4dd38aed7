namespace Theon;

/// <summary>Checks of the optional arguments of <c>grad</c>, <c>Lop</c> and <c>Rop</c>.</summary>
internal static class GradOptions
{
    public static void CheckKnownGrads(IReadOnlyDictionary<Variable, Variable>? knownGrads)
    {
        foreach (var (v, g) in knownGrads ?? new Dictionary<Variable, Variable>())
        {
            if (g.ndim != v.ndim || !g.type.dtype.IsFloat)
                throw new ArgumentException(
                    $"known_grads: the gradient given for {v} ({v.type}) must be a float tensor with {v.ndim} dimension(s), got {g} of type {g.type}.");
        }
    }

    /// <summary>An evaluation point must have the type of the variable it goes with (Theano's Rop/Lop check).</summary>
    public static void CheckPoints(string function, string what, IReadOnlyList<Variable> variables, IReadOnlyList<Variable> points)
    {
        if (variables.Count != points.Count)
            throw new ArgumentException($"{function}: {variables.Count} {what} but {points.Count} eval_points.");
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].ndim != variables[i].ndim)
                throw new ArgumentException(
                    $"{function}: eval_points[{i}] ({points[i]}, {points[i].type}) must have the dimensions of {what} {variables[i]} ({variables[i].type}).");
        }
    }
}
