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
            var (integer, fraction, exponent) = Scientific(digits, Precision);
            var sign = exponent[0];
            var magnitude = exponent[1..].PadLeft(_exponentDigits, '0');
            return integer.PadLeft(_padLeft) + "." + fraction.PadRight(_fractionDigits, '0') + "e" + sign + magnitude;
        }
        var (whole, part) = Positional(digits);
        return whole.PadLeft(_padLeft) + "." + part.PadRight(_padRight);
    }

    /// <summary>The value's decimal digits: shortest round-trip for its own type, rounded to 8 places if longer.</summary>
    private Decimal Digits(double value) => _single ? Decimal.Parse((float)value) : Decimal.Parse(value);

    private static (string Integer, string Fraction) Positional(Decimal d)
    {
        if (d.FractionDigits > Precision)
            d = d.RoundFraction(Precision);
        return (d.Sign + d.IntegerPart, d.FractionPart);
    }

    private static (string Integer, string Fraction, string Exponent) Scientific(Decimal d, int precision)
    {
        if (d.Digits.Length - 1 > precision)
            d = d.RoundSignificant(precision + 1);
        var exponent = d.Exponent;
        var text = (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return (d.Sign + d.Digits[..1], d.Digits[1..], text);
    }

    /// <summary>
    /// A finite number as significant digits (no leading or trailing zeros; "0" for zero) and the power of ten of
    /// the first digit, with a sign; rounding goes through .NET's exact fixed and exponent formats.
    /// </summary>
    private sealed record Decimal(string Sign, string Digits, int Exponent, double Value, bool Single)
    {
        public static Decimal Parse(double value) =>
            FromText(value.ToString("R", CultureInfo.InvariantCulture), value, false);

        public static Decimal Parse(float value) =>
            FromText(value.ToString("R", CultureInfo.InvariantCulture), value, true);

        private static Decimal FromText(string text, double value, bool single)
        {
            var sign = text.StartsWith('-') ? "-" : "";
            text = text.TrimStart('-');
            var exponent = 0;
            var e = text.IndexOfAny(['E', 'e']);
            if (e >= 0)
            {
                exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
                text = text[..e];
            }
            var point = text.IndexOf('.');
            var beforePoint = point < 0 ? text.Length : point;
            var digits = text.Replace(".", "");
            exponent += beforePoint - 1;
            var leading = digits.Length - digits.TrimStart('0').Length;
            digits = digits.Trim('0');
            exponent -= leading;
            if (digits.Length == 0)
                return new Decimal(sign, "0", 0, value, single);
            return new Decimal(sign, digits, exponent, value, single);
        }

        public int FractionDigits => Math.Max(0, Digits.Length - 1 - Exponent);

        public string IntegerPart => Exponent < 0 ? "0" : Digits.PadRight(Exponent + 1, '0')[..(Exponent + 1)];

        public string FractionPart => Exponent < 0
            ? new string('0', -Exponent - 1) + Digits
            : Digits.Length > Exponent + 1 ? Digits[(Exponent + 1)..] : "";

        public Decimal RoundFraction(int places) => Reparse(Format("F" + places));

        public Decimal RoundSignificant(int digits) => Reparse(Format("E" + (digits - 1)));

        private string Format(string format) => Single
            ? ((float)Value).ToString(format, CultureInfo.InvariantCulture)
            : Value.ToString(format, CultureInfo.InvariantCulture);

        private Decimal Reparse(string text) => FromText(text, Value, Single) with { Sign = Sign };
    }
}
