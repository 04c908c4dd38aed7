using Theon.Ops;

namespace Theon;

public static partial class T
{
    /// <summary>Theano's <c>zero_grad</c>: <paramref name="x"/> in the forward pass, a zero gradient in the backward one.</summary>
    public static Variable zero_grad(Variable x) => ZeroGrad.Op.MakeNode(x).outputs[0];

    /// <summary>Theano's <c>disconnected_grad</c>: <paramref name="x"/> in the forward pass, no gradient path through it.</summary>
    public static Variable disconnected_grad(Variable x) => DisconnectedGrad.Op.MakeNode(x).outputs[0];

    /// <summary>
    /// Theano's <c>Lop</c>: the vector-Jacobian product, <c>sum_i eval_points[i] · d f[i] / d wrt</c> for each of
    /// <paramref name="wrt"/> (reverse mode, the gradient with <c>known_grads</c> f → eval_points).
    /// </summary>
    public static Variable[] Lop(IReadOnlyList<Variable> f, IReadOnlyList<Variable> wrt, IReadOnlyList<Variable> eval_points,
        IReadOnlyList<Variable>? consider_constant = null, string disconnected_inputs = "raise")
    {
        GradOptions.CheckPoints("Lop", "f", f, eval_points);
        var known = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < f.Count; i++)
            known[f[i]] = known.TryGetValue(f[i], out var g) ? g + eval_points[i] : eval_points[i];
        return grad(null, wrt, disconnected_inputs, consider_constant, known);
    }

    public static Variable Lop(Variable f, Variable wrt, Variable eval_point, IReadOnlyList<Variable>? consider_constant = null,
        string disconnected_inputs = "raise") => Lop([f], [wrt], [eval_point], consider_constant, disconnected_inputs)[0];

    /// <summary>
    /// Theano's <c>Rop</c>: the Jacobian-vector product, <c>sum_j d f / d wrt[j] · eval_points[j]</c>, for each of
    /// <paramref name="f"/>. Theon builds it from two reverse passes (the transpose of the vector-Jacobian product
    /// with respect to a dummy cotangent, which the result no longer depends on and which is then replaced by zeros),
    /// so every op with a gradient has one.
    /// </summary>
    public static Variable[] Rop(IReadOnlyList<Variable> f, IReadOnlyList<Variable> wrt, IReadOnlyList<Variable> eval_points,
        string disconnected_outputs = "raise")
    {
        GradOptions.CheckPoints("Rop", "wrt", wrt, eval_points);
        var results = new Variable[f.Count];
        for (var k = 0; k < f.Count; k++)
        {
            var output = f[k];
            var dtype = output.type.dtype.IsFloat ? output.type.dtype : DType.Parse(config.floatX);
            var cotangent = new Variable(output.type.WithDType(dtype), name: $"{output}_cotangent");
            var pulled = Lop([output], wrt, [cotangent], disconnected_inputs: "ignore");
            var known = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
            for (var j = 0; j < wrt.Count; j++)
                known[pulled[j]] = known.TryGetValue(pulled[j], out var g) ? g + eval_points[j] : cast(eval_points[j], pulled[j].type.dtype);
            var pushed = grad(null, [cotangent], disconnected_outputs, known_grads: known);
            results[k] = GraphWalk.Replace(pushed, new Dictionary<Variable, Variable> { [cotangent] = zeros_like(cast(output, dtype)) })[0];
        }
        return results;
    }

    public static Variable Rop(Variable f, Variable wrt, Variable eval_point) => Rop([f], [wrt], [eval_point])[0];

    /// <summary>
    /// Theano's <c>jacobian</c>: for a vector <paramref name="expression"/>, the matrix (tensor) whose row i is
    /// <c>grad(expression[i], wrt)</c>, of shape (len(expression),) + wrt.shape; for a scalar, the gradient.
    /// </summary>
    public static Variable jacobian(Variable expression, Variable wrt, IReadOnlyList<Variable>? consider_constant = null,
        string disconnected_inputs = "raise") => jacobian(expression, [wrt], consider_constant, disconnected_inputs)[0];

    public static Variable[] jacobian(Variable expression, IReadOnlyList<Variable> wrt, IReadOnlyList<Variable>? consider_constant = null,
        string disconnected_inputs = "raise")
    {
        if (expression.ndim > 1)
            throw new ArgumentException($"jacobian expects a vector (or scalar) expression, got {expression} of type {expression.type}; flatten it first.", nameof(expression));
        if (expression.ndim == 0) return grad(expression, wrt, disconnected_inputs, consider_constant);
        return [.. wrt.Select(w =>
        {
            var op = new JacobianRows(expression, w, disconnected_inputs, consider_constant);
            return op.MakeNode([.. op.Free]).outputs[0];
        })];
    }

    /// <summary>
    /// Theano's <c>hessian</c>: for a scalar <paramref name="cost"/> and a vector <paramref name="wrt"/>, the matrix
    /// of second derivatives, the Jacobian of the gradient.
    /// </summary>
    public static Variable hessian(Variable cost, Variable wrt, IReadOnlyList<Variable>? consider_constant = null,
        string disconnected_inputs = "raise") => hessian(cost, [wrt], consider_constant, disconnected_inputs)[0];

    public static Variable[] hessian(Variable cost, IReadOnlyList<Variable> wrt, IReadOnlyList<Variable>? consider_constant = null,
        string disconnected_inputs = "raise")
    {
        if (cost.ndim != 0) throw new ArgumentException($"hessian: cost must be a scalar, got {cost} of type {cost.type}.", nameof(cost));
        return [.. wrt.Select(w =>
        {
            if (w.ndim != 1) throw new ArgumentException($"hessian: wrt must be a vector, got {w} of type {w.type}.", nameof(wrt));
            return jacobian(grad(cost, w, disconnected_inputs, consider_constant), w, consider_constant, disconnected_inputs);
        })];
    }
}
