using System.Globalization;

namespace Theon.Values.Formatting;

/// <summary>
/// The str of a numpy scalar: Python's float repr (shortest digits, scientific below 1e-4 or from 1e16).
/// </summary>
internal static class ScalarFormat
{
    public static string Str(NDArray scalar)
    {
        if (scalar.DType.IsBool)
            return scalar.GetItem<bool>() ? "True" : "False";
        if (!scalar.DType.IsFloat)
            return scalar.GetItem<long>().ToString(CultureInfo.InvariantCulture);
        var value = scalar.GetItem<double>();
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";
        var d = scalar.DType == DType.Float32 ? DecimalDigits.Parse((float)value) : DecimalDigits.Parse(value);
        var (sign, digits, exponent) = (d.Sign, d.Digits, d.Exponent);
        if (digits == "0")
            return sign + "0.0";
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (exponent < 0)
            return sign + "0." + new string('0', -exponent - 1) + digits;
        var integer = digits.PadRight(exponent + 1, '0')[..(exponent + 1)];
        var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
        return sign + integer + "." + fraction;
    }
}
