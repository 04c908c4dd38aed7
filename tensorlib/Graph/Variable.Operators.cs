namespace Theon;

// The C# operators and the Theano methods of a variable. Numbers on either side become constants.
public partial class Variable
{
    public static implicit operator Variable(double value) => new Constant(Theon.T.ConstantValue(value)) { IsFloatLiteral = true };
    public static implicit operator Variable(float value) => Theon.T.constant(value);
    public static implicit operator Variable(int value) => Theon.T.constant(value);
    public static implicit operator Variable(long value) => Theon.T.constant(value);
    public static implicit operator Variable(NDArray value) => Theon.T.constant(value);

    public static Variable operator +(Variable a, Variable b) => Theon.T.add(a, b);
    public static Variable operator -(Variable a, Variable b) => Theon.T.sub(a, b);
    public static Variable operator *(Variable a, Variable b) => Theon.T.mul(a, b);
    public static Variable operator /(Variable a, Variable b) => Theon.T.true_div(a, b);
    public static Variable operator %(Variable a, Variable b) => Theon.T.mod(a, b);
    public static Variable operator &(Variable a, Variable b) => Theon.T.and_(a, b);
    public static Variable operator |(Variable a, Variable b) => Theon.T.or_(a, b);
    public static Variable operator ^(Variable a, Variable b) => Theon.T.xor(a, b);
    public static Variable operator ~(Variable a) => Theon.T.invert(a);
    public static Variable operator -(Variable a) => Theon.T.neg(a);
    public static Variable operator <(Variable a, Variable b) => Theon.T.lt(a, b);
    public static Variable operator >(Variable a, Variable b) => Theon.T.gt(a, b);
    public static Variable operator <=(Variable a, Variable b) => Theon.T.le(a, b);
    public static Variable operator >=(Variable a, Variable b) => Theon.T.ge(a, b);

    /// <summary>Indexing as numpy: <c>x[0]</c>, <c>x[i]</c>, <c>x[slice(a, b)]</c>, <c>x[arange(n), y]</c>.</summary>
    public Variable this[params object[] indices] => Theon.T.Index(this, indices);

    public Variable sum(int? axis = null, bool keepdims = false) => Theon.T.sum(this, axis, keepdims);
    public Variable mean(int? axis = null, bool keepdims = false) => Theon.T.mean(this, axis, keepdims);
    public Variable max(int? axis = null, bool keepdims = false) => Theon.T.max(this, axis, keepdims);
    public Variable min(int? axis = null, bool keepdims = false) => Theon.T.min(this, axis, keepdims);
    public Variable prod(int? axis = null, bool keepdims = false) => Theon.T.prod(this, axis, keepdims);
    public Variable argmax(int? axis = null, bool keepdims = false) => Theon.T.argmax(this, axis, keepdims);
    public Variable dimshuffle(params object[] pattern) => Theon.T.dimshuffle(this, pattern);
    public Variable reshape(params long[] shape) => Theon.T.reshape(this, shape);
    public Variable flatten(int ndim = 1) => Theon.T.flatten(this, ndim);
    public Variable astype(string dtype) => Theon.T.cast(this, dtype);
    public Variable transpose(params int[] axes) => Theon.T.transpose(this, axes);
}
