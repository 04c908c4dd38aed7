namespace Theon;

// More of the methods of Theano's TensorVariable, each the function of Theon.T of the same name.
public partial class Variable
{
    public Variable @var(int? axis = null, int ddof = 0, bool keepdims = false) => Theon.T.@var(this, axis, ddof, keepdims);
    public Variable std(int? axis = null, int ddof = 0, bool keepdims = false) => Theon.T.std(this, axis, ddof, keepdims);
    public Variable all(int? axis = null, bool keepdims = false) => Theon.T.all(this, axis, keepdims);
    public Variable any(int? axis = null, bool keepdims = false) => Theon.T.any(this, axis, keepdims);
    public Variable cumsum(int? axis = null) => Theon.T.cumsum(this, axis);
    public Variable cumprod(int? axis = null) => Theon.T.cumprod(this, axis);
    public Variable sort(int? axis = -1, string kind = "quicksort") => Theon.T.sort(this, axis, kind);
    public Variable argsort(int? axis = -1, string kind = "quicksort") => Theon.T.argsort(this, axis, kind);
    public Variable[] nonzero(bool return_matrix = false) => Theon.T.nonzero(this, return_matrix);
    public Variable nonzero_values() => Theon.T.nonzero_values(this);
    public Variable flatnonzero() => Theon.T.flatnonzero(this);
    public Variable repeat(Variable repeats, int? axis = null) => Theon.T.repeat(this, repeats, axis);
    public Variable squeeze() => Theon.T.squeeze(this);
    public Variable diagonal(int offset = 0) => Theon.T.diagonal(this, offset);
    public Variable trace() => Theon.T.trace(this);
}
