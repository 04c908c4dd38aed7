namespace Theon;

/// <summary>A <c>grad</c> asked for a variable the cost does not depend on (differentiably).</summary>
public sealed class DisconnectedInputError(string message) : ArgumentException(message);

public static partial class T
{
    /// <summary>The symbolic gradient of a scalar <paramref name="cost"/> with respect to <paramref name="wrt"/>: a new graph.</summary>
    public static Variable grad(Variable cost, Variable wrt, string disconnected_inputs = "raise") =>
        grad(cost, [wrt], disconnected_inputs)[0];

    /// <summary>
    /// The gradients of a scalar <paramref name="cost"/> with respect to each of <paramref name="wrt"/>, by reverse
    /// accumulation over the graph (each op's <see cref="Op.Grad"/>); the result deconstructs: <c>var (dw, db) = grad(cost, [w, b]);</c>.
    /// </summary>
    public static Variable[] grad(Variable cost, IReadOnlyList<Variable> wrt, string disconnected_inputs = "raise")
    {
        if (disconnected_inputs is not ("raise" or "warn" or "ignore"))
            throw new ArgumentException($"disconnected_inputs must be \"raise\", \"warn\" or \"ignore\", got \"{disconnected_inputs}\".");
        if (cost.ndim != 0)
            throw new ArgumentException($"cost must be a scalar: grad got {cost} of type {cost.type}; reduce it first, e.g. with sum() or mean().", nameof(cost));
        foreach (var v in wrt)
        {
            if (!v.type.dtype.IsFloat)
                throw new ArgumentException($"grad: cannot differentiate with respect to {v} of integer type {v.type}.", nameof(wrt));
        }

        var nodes = GraphWalk.TopoSort([cost]);
        var dependsOnWrt = new HashSet<Variable>(wrt, ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            if (node.inputs.Any(dependsOnWrt.Contains)) dependsOnWrt.UnionWith(node.outputs);
        }

        var contributions = new Dictionary<Variable, List<Variable>>(ReferenceEqualityComparer.Instance);
        if (dependsOnWrt.Contains(cost))
        {
            var one = constant(NDArray.Scalar(1.0, cost.type.dtype.IsFloat ? cost.type.dtype : DType.Parse(config.floatX)));
            contributions[cost] = [fill(cost, one)];
        }
        for (var n = nodes.Count - 1; n >= 0; n--)
        {
            var node = nodes[n];
            if (!node.outputs.Any(contributions.ContainsKey)) continue;
            var outputGradients = node.outputs.Select(o => Total(contributions, o)).ToArray();
            var inputGradients = node.op.Grad(node, outputGradients);
            for (var i = 0; i < node.inputs.Count; i++)
            {
                var input = node.inputs[i];
                if (inputGradients[i] is not { } g || !dependsOnWrt.Contains(input)) continue;
                if (g.ndim != input.ndim)
                    throw new InvalidOperationException($"{node.op}.Grad returned {g.type} for input {i} of type {input.type}.");
                if (!contributions.TryGetValue(input, out var list)) contributions[input] = list = [];
                list.Add(g);
            }
        }

        return [.. wrt.Select(v => Total(contributions, v) ?? Disconnected(v, disconnected_inputs))];
    }

    private static Variable? Total(Dictionary<Variable, List<Variable>> contributions, Variable v) =>
        contributions.TryGetValue(v, out var terms) ? add([.. terms]) : null;

    private static Variable Disconnected(Variable v, string mode)
    {
        var message = "grad method was asked to compute the gradient with respect to a variable that is not part of the " +
                      $"computational graph of the cost, or is used only by a non-differentiable operator: {v}";
        if (mode == "raise") throw new DisconnectedInputError(message);
        if (mode == "warn") Console.Error.WriteLine($"Warning: {message}");
        return zeros_like(v);
    }
}
