namespace Theon;

/// <summary>A <c>grad</c> asked for a variable the cost does not depend on (differentiably).</summary>
public sealed class DisconnectedInputError(string message) : ArgumentException(message);

public static partial class T
{
    /// <summary>The symbolic gradient of a scalar <paramref name="cost"/> with respect to <paramref name="wrt"/>: a new graph.</summary>
    public static Variable grad(Variable? cost, Variable wrt, string disconnected_inputs = "raise",
        IReadOnlyList<Variable>? consider_constant = null, IReadOnlyDictionary<Variable, Variable>? known_grads = null) =>
        grad(cost, [wrt], disconnected_inputs, consider_constant, known_grads)[0];

    /// <summary>
    /// The gradients of a scalar <paramref name="cost"/> with respect to each of <paramref name="wrt"/>, by reverse
    /// accumulation over the graph (each op's <see cref="Op.Grad"/>); the result deconstructs: <c>var (dw, db) = grad(cost, [w, b]);</c>.
    /// As in Theano, nothing is propagated through the variables of <paramref name="consider_constant"/>, and
    /// <paramref name="known_grads"/> gives the gradient of the cost with respect to some variables, which are
    /// back-propagated from there (the cost may then be null).
    /// </summary>
    public static Variable[] grad(Variable? cost, IReadOnlyList<Variable> wrt, string disconnected_inputs = "raise",
        IReadOnlyList<Variable>? consider_constant = null, IReadOnlyDictionary<Variable, Variable>? known_grads = null)
    {
        if (disconnected_inputs is not ("raise" or "warn" or "ignore"))
            throw new ArgumentException($"disconnected_inputs must be \"raise\", \"warn\" or \"ignore\", got \"{disconnected_inputs}\".");
        if (cost is null && (known_grads is null || known_grads.Count == 0))
            throw new ArgumentException("grad needs a cost or known_grads.", nameof(cost));
        if (cost is not null && cost.ndim != 0)
            throw new ArgumentException($"cost must be a scalar: grad got {cost} of type {cost.type}; reduce it first, e.g. with sum() or mean().", nameof(cost));
        GradOptions.CheckKnownGrads(known_grads);

        var constants = new HashSet<Variable>(consider_constant ?? [], ReferenceEqualityComparer.Instance);
        IEnumerable<Variable> ConnectedInputs(Apply node) =>
            node.outputs.All(constants.Contains) ? [] : T.ConnectedInputs(node);
        var seeds = (known_grads?.Keys ?? []).Concat(cost is null ? [] : [cost]).ToArray();
        var nodes = GraphWalk.TopoSort(seeds);
        var dependsOnWrt = new HashSet<Variable>(wrt, ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            if (ConnectedInputs(node).Any(dependsOnWrt.Contains)) dependsOnWrt.UnionWith(node.outputs.Where(o => !constants.Contains(o)));
        }
        var reachesCost = new HashSet<Variable>(seeds, ReferenceEqualityComparer.Instance);
        for (var n = nodes.Count - 1; n >= 0; n--)
        {
            if (nodes[n].outputs.Any(reachesCost.Contains)) reachesCost.UnionWith(ConnectedInputs(nodes[n]));
        }

        var contributions = new Dictionary<Variable, List<Variable>>(ReferenceEqualityComparer.Instance);
        if (cost is not null && dependsOnWrt.Contains(cost)) contributions[cost] = [fill(cost, FloatScalar(1.0, cost))];
        foreach (var (v, g) in known_grads ?? new Dictionary<Variable, Variable>())
        {
            if (!contributions.TryGetValue(v, out var list)) contributions[v] = list = [];
            list.Add(g);
        }
        for (var n = nodes.Count - 1; n >= 0; n--)
        {
            var node = nodes[n];
            // An integer-valued output is locally constant, so its node passes back zero (Theano's rule for ops with
            // integer outputs: comparisons, argmax, integer casts, integer arithmetic).
            if (!node.outputs.Any(contributions.ContainsKey) || !node.outputs.Any(o => o.type.dtype.IsFloat)
                || node.outputs.All(constants.Contains)) continue;
            var outputGradients = node.outputs.Select(o => constants.Contains(o) ? null : Total(contributions, o)).ToArray();
            var inputGradients = node.op.Grad(node, outputGradients);
            for (var i = 0; i < node.inputs.Count; i++)
            {
                var input = node.inputs[i];
                if (inputGradients[i] is not { } g || !dependsOnWrt.Contains(input) || !node.op.IsConnected(node, i))
                    continue;
                if (g.ndim != input.ndim || !g.type.dtype.IsFloat)
                    throw new InvalidOperationException($"{node.op}.Grad returned {g.type} for input {i} of type {input.type}.");
                if (!contributions.TryGetValue(input, out var list)) contributions[input] = list = [];
                list.Add(g);
            }
        }

        // A variable that reaches the cost only through integer values or conditions has a zero gradient (Theano's
        // zeros from LT.grad, Switch.grad, Argmax.grad...); one that does not reach it at all is disconnected.
        return [.. wrt.Select(v => Total(contributions, v)
            ?? (reachesCost.Contains(v) ? fill(v, FloatScalar(0.0, v)) : Disconnected(v, disconnected_inputs)))];
    }

    private static IEnumerable<Variable> ConnectedInputs(Apply node) =>
        node.inputs.Where((_, i) => node.op.IsConnected(node, i));

    /// <summary>A scalar constant in the dtype of a gradient of <paramref name="v"/>: its own if float, else floatX
    /// (Theano's <c>_float_ones_like</c> and <c>_float_zeros_like</c>).</summary>
    private static Constant FloatScalar(double value, Variable v) =>
        constant(NDArray.Scalar(value, v.type.dtype.IsFloat ? v.type.dtype : DType.Parse(config.floatX)));

    private static Variable? Total(Dictionary<Variable, List<Variable>> contributions, Variable v) =>
        contributions.TryGetValue(v, out var terms) ? add([.. terms]) : null;

    private static Variable Disconnected(Variable v, string mode)
    {
        var message = "grad method was asked to compute the gradient with respect to a variable that is not part of the " +
                      $"computational graph of the cost, or is used only by a non-differentiable operator: {v}";
        if (mode == "raise") throw new DisconnectedInputError(message);
        if (mode == "warn") Console.Error.WriteLine($"Warning: {message}");
        return fill(v, FloatScalar(0.0, v));
    }
}
