using System.Globalization;

namespace Theon.Values.Formatting;

/// <summary>
/// A finite number as significant digits (no leading or trailing zeros; "0" for zero) and the power of ten of
/// the first digit, with a sign; rounding goes through .NET's exact fixed and exponent formats.
/// </summary>
internal sealed record DecimalDigits(string Sign, string Digits, int Exponent, double Value, bool Single)
{
    public static DecimalDigits Parse(double value) =>
        FromText(value.ToString("R", CultureInfo.InvariantCulture), value, false);

    public static DecimalDigits Parse(float value) =>
        FromText(value.ToString("R", CultureInfo.InvariantCulture), value, true);

    private static DecimalDigits FromText(string text, double value, bool single)
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
            return new DecimalDigits(sign, "0", 0, value, single);
        return new DecimalDigits(sign, digits, exponent, value, single);
    }

    public int FractionDigits => Math.Max(0, Digits.Length - 1 - Exponent);

    public string IntegerPart => Exponent < 0 ? "0" : Digits.PadRight(Exponent + 1, '0')[..(Exponent + 1)];

    public string FractionPart => Exponent < 0
        ? new string('0', -Exponent - 1) + Digits
        : Digits.Length > Exponent + 1 ? Digits[(Exponent + 1)..] : "";

    public DecimalDigits RoundFraction(int places) => Reparse(Format("F" + places));

    public DecimalDigits RoundSignificant(int digits) => Reparse(Format("E" + (digits - 1)));

    private string Format(string format) => Single
        ? ((float)Value).ToString(format, CultureInfo.InvariantCulture)
        : Value.ToString(format, CultureInfo.InvariantCulture);

    private DecimalDigits Reparse(string text) => FromText(text, Value, Single) with { Sign = Sign };
}
