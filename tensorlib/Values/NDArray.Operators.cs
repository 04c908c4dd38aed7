using Theon.Values;
using Theon.Values.Formatting;

namespace Theon;

public sealed partial class NDArray : IFormattable
{
    public static NDArray operator +(NDArray a, NDArray b) => ArrayMath.Add(Weak(a, b), Weak(b, a));
    public static NDArray operator -(NDArray a, NDArray b) => ArrayMath.Subtract(Weak(a, b), Weak(b, a));
    public static NDArray operator *(NDArray a, NDArray b) => ArrayMath.Multiply(Weak(a, b), Weak(b, a));
    public static NDArray operator /(NDArray a, NDArray b) => ArrayMath.TrueDivide(Weak(a, b), Weak(b, a));
    public static NDArray operator %(NDArray a, NDArray b) => ArrayMath.Remainder(Weak(a, b), Weak(b, a));
    public static NDArray operator -(NDArray a) => ArrayMath.Negative(a);

    /// <summary>
    /// numpy's rule for Python scalars (NEP 50): a bare C# number takes the other operand's dtype unless it is of a
    /// higher kind (bool &lt; integer &lt; float), so `float32Array * 2` stays float32 and `intArray * 0.5` is float64.
    /// </summary>
    private static NDArray Weak(NDArray operand, NDArray other)
    {
        ArgumentNullException.ThrowIfNull(operand);
        ArgumentNullException.ThrowIfNull(other);
        if (!operand.IsWeakScalar || other.IsWeakScalar)
            return operand;
        var target = KindRank(operand.DType) <= KindRank(other.DType)
            ? other.DType
            : operand.DType.IsFloat ? DType.Float64 : DType.Int64;
        return Conversion.To(operand, target);
    }

    private static int KindRank(DType dtype) => dtype.IsBool ? 0 : dtype.IsFloat ? 2 : 1;

    /// <summary>
    /// numpy.allclose: |a - b| &lt;= atol + rtol * |b| everywhere, NaNs unequal; shapes must broadcast.
    /// </summary>
    public bool AllClose(NDArray other, double rtol = 1e-5, double atol = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        Shapes.Broadcast(_shape, other._shape);
        var x = ToFlatArrayBroadcast(this, other);
        var y = ToFlatArrayBroadcast(other, this);
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] == y[i])
                continue;
            if (!(Math.Abs(x[i] - y[i]) <= atol + rtol * Math.Abs(y[i])))
                return false;
        }
        return true;
    }

    private static double[] ToFlatArrayBroadcast(NDArray a, NDArray b) =>
        a.BroadcastTo(Shapes.Broadcast(a._shape, b._shape)).ToFlatArray<double>();

    /// <summary>numpy's repr: <c>array([[1., 2.],\n       [3., 4.]])</c>, <c>array([1, 2], dtype=int8)</c>.</summary>
    public override string ToString() => ArrayFormatter.Repr(this);

    /// <summary>
    /// "r" (or null) gives numpy's repr, "s" numpy's str (<c>[1. 2.]</c>, a 0-d array as its scalar).
    /// </summary>
    public string ToString(string? format) => format switch
    {
        null or "" or "r" => ArrayFormatter.Repr(this),
        "s" => ArrayFormatter.Str(this),
        _ => throw new FormatException($"NDArray format must be \"r\" (repr) or \"s\" (str), got \"{format}\""),
    };

    /// <summary>
    /// String interpolation reads as a Python f-string: <c>$"{a}"</c> is numpy's str (a 0-d array prints as its
    /// scalar), <c>$"{a:r}"</c> the repr, and a numeric format such as <c>{a:F2}</c> formats a one-element array's value.
    /// </summary>
    string IFormattable.ToString(string? format, IFormatProvider? provider) => format switch
    {
        null or "" or "s" => ArrayFormatter.Str(this),
        "r" => ArrayFormatter.Repr(this),
        _ when size == 1 => ((double)this).ToString(format, provider),
        _ => throw new FormatException($"NDArray format \"{format}\" needs a one-element array; this one has shape {ShapeString(shape)}."),
    };
}
