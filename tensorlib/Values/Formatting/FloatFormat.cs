using System.Globalization;

namespace Theon.Values.Formatting;

/// <summary>
/// numpy's FloatingFormat (floatmode 'maxprec', precision 8): the shortest unique digits, at most 8 after the
/// point, every value padded to a common width; scientific when the magnitudes span too much.
/// </summary>
internal sealed class FloatFormat
{
    private const int Precision = 8;
    private readonly bool _single;
    private readonly bool _scientific;
    private readonly int _padLeft;
    private readonly int _padRight;
    private readonly int _fractionDigits;
    private readonly int _exponentDigits;

    public FloatFormat(IReadOnlyCollection<double> values, bool single)
    {
        _single = single;
        var finite = values.Where(double.IsFinite).ToArray();
        var nonZero = finite.Where(v => v != 0).Select(Math.Abs).ToArray();
        if (nonZero.Length > 0)
        {
            var max = nonZero.Max();
            var min = nonZero.Min();
            _scientific = max >= 1e8 || min < 0.0001 || max / min > 1000;
        }
        if (finite.Length == 0)
        {
            _padLeft = 0;
            _padRight = 0;
        }
        else if (_scientific)
        {
            var parts = finite.Select(v => Scientific(Digits(v), Precision)).ToArray();
            _exponentDigits = parts.Max(p => p.Exponent.Length) - 1;
            _fractionDigits = parts.Max(p => p.Fraction.Length);
            _padLeft = parts.Max(p => p.Integer.Length);
            _padRight = _exponentDigits + 2 + _fractionDigits;
        }
        else
        {
            var parts = finite.Select(v => Positional(Digits(v))).ToArray();
            _padLeft = parts.Max(p => p.Integer.Length);
            _padRight = parts.Max(p => p.Fraction.Length);
        }
        if (finite.Length != values.Count)
        {
            var negativeInfinity = values.Any(double.IsNegativeInfinity);
            var offset = _padRight + 1;
            _padLeft = Math.Max(_padLeft, Math.Max(3 - offset, 3 + (negativeInfinity ? 1 : 0) - offset));
        }
    }

    public string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            var text = double.IsNaN(value) ? "nan" : value < 0 ? "-inf" : "inf";
            return text.PadLeft(_padLeft + _padRight + 1);
        }
        var digits = Digits(value);
        if (_scientific)
        {
            // numpy fills up to the common width with the value's further exact digits, not with zeros.
            if (digits.Digits.Length - 1 < _fractionDigits)
                digits = digits.RoundSignificant(_fractionDigits + 1);
            var (integer, fraction, exponent) = Scientific(digits, _fractionDigits);
            var sign = exponent[0];
            var magnitude = exponent[1..].PadLeft(_exponentDigits, '0');
            return integer.PadLeft(_padLeft) + "." + fraction.PadRight(_fractionDigits, '0') + "e" + sign + magnitude;
        }
        var (whole, part) = Positional(digits);
        return whole.PadLeft(_padLeft) + "." + part.PadRight(_padRight);
    }

    /// <summary>
    /// The value's decimal digits: shortest round-trip for its own type, rounded to 8 places if longer.
    /// </summary>
    private DecimalDigits Digits(double value) =>
        _single ? DecimalDigits.Parse((float)value) : DecimalDigits.Parse(value);

    private static (string Integer, string Fraction) Positional(DecimalDigits d)
    {
        if (d.FractionDigits > Precision)
            d = d.RoundFraction(Precision);
        return (d.Sign + d.IntegerPart, d.FractionPart);
    }

    private static (string Integer, string Fraction, string Exponent) Scientific(DecimalDigits d, int precision)
    {
        if (d.Digits.Length - 1 > precision)
            d = d.RoundSignificant(precision + 1);
        var exponent = d.Exponent;
        var text = (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return (d.Sign + d.Digits[..1], d.Digits[1..], text);
    }
}
