using System.Globalization;
using System.Text;

namespace Theon.Values.Formatting;

/// <summary>
/// numpy's array_repr and array_str: line width 75, summarised past 1000 elements with 3 items at each edge.
/// </summary>
internal static class ArrayFormatter
{
    private const int LineWidth = 75;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const string Prefix = "array(";

    /// <summary>numpy's str: <c>[[1. 2.]\n [3. 4.]]</c>; a 0-d array prints as its scalar (<c>1.5</c>).</summary>
    public static string Str(NDArray a)
    {
        if (a.ndim == 0)
            return ScalarFormat.Str(a);
        return a.size == 0 ? "[]" : Body(a, LineWidth, " ", "");
    }

    public static string Repr(NDArray a)
    {
        var impliedDtype = a.DType == DType.Float64 || a.DType == DType.Int64 || a.DType == DType.Bool;
        var skipDtype = impliedDtype && a.size > 0;
        var suffix = skipDtype ? ")" : ",";
        string body;
        if (a.size > 0 || a.ndim == 1)
            body = a.size == 0 ? "[]" : Body(a, LineWidth - suffix.Length, ", ", Prefix);
        else
            body = "[], shape=" + NDArray.ShapeString(a.Dims);
        var text = Prefix + body + suffix;
        if (skipDtype)
            return text;
        var dtype = $"dtype={a.dtype})";
        var lastLine = text.Length - (text.LastIndexOf('\n') + 1);
        var spacer = lastLine + dtype.Length + 1 > LineWidth ? "\n" + new string(' ', Prefix.Length) : " ";
        return text + spacer + dtype;
    }

    private static string Body(NDArray a, int lineWidth, string separator, string prefix)
    {
        var summarize = a.size > Threshold;
        var summarized = new bool[a.ndim];
        var shown = a;
        for (var axis = 0; axis < a.ndim && summarize; axis++)
        {
            var n = a.Dims[axis];
            if (n <= 2 * EdgeItems)
                continue;
            summarized[axis] = true;
            shown = ArrayMath.Concatenate(
                [shown.Slice(axis, 0, EdgeItems), shown.Slice(axis, n - EdgeItems, n)], axis);
        }
        shown = shown.AsContiguous();
        var element = ElementFormatter(shown);
        var printer = new Printer(shown, summarized, element, separator);
        return printer.Recurse([], " " + new string(' ', prefix.Length), lineWidth);
    }

    /// <summary>Formats element i of the contiguous shown data; widths are fixed by all the shown values.</summary>
    private static Func<int, string> ElementFormatter(NDArray shown)
    {
        if (shown.DType.IsFloat)
        {
            var values = shown.ToFlatArray<double>();
            var format = new FloatFormat(values, shown.DType == DType.Float32);
            return i => format.Format(values[i]);
        }
        if (shown.DType.IsBool)
        {
            var flags = shown.ToFlatArray<bool>();
            var scalar = shown.ndim == 0;
            return i => flags[i] ? (scalar ? "True" : " True") : "False";
        }
        var integers = shown.ToFlatArray<long>();
        var width = integers.Length == 0
            ? 0
            : Math.Max(Text(integers.Max()).Length, Text(integers.Min()).Length);
        return i => Text(integers[i]).PadLeft(width);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A port of numpy's _formatArray recursion with its line wrapping.</summary>
    private sealed class Printer(NDArray shown, bool[] summarized, Func<int, string> element, string separator)
    {
        private readonly int[] _strides = Shapes.ContiguousStrides(shown.Dims);

        public string Recurse(int[] index, string hangingIndent, int currentWidth)
        {
            var axis = index.Length;
            var axesLeft = shown.ndim - axis;
            if (axesLeft == 0)
                return element(Flat(index));
            var nextHangingIndent = hangingIndent + " ";
            var nextWidth = currentWidth - 1;
            var length = shown.Dims[axis];
            var summary = summarized[axis];
            var leading = summary ? EdgeItems : 0;
            var trailing = summary ? EdgeItems : length;
            var s = new StringBuilder();
            if (axesLeft == 1)
            {
                var elementWidth = currentWidth - 1;
                var line = hangingIndent;
                for (var i = 0; i < leading; i++)
                {
                    var word = Recurse([.. index, i], nextHangingIndent, nextWidth);
                    line = Extend(s, line, word, elementWidth, hangingIndent);
                    line += separator;
                }
                if (summary)
                {
                    line = Extend(s, line, "...", elementWidth, hangingIndent);
                    line += separator;
                }
                for (var i = trailing; i > 1; i--)
                {
                    var word = Recurse([.. index, length - i], nextHangingIndent, nextWidth);
                    line = Extend(s, line, word, elementWidth, hangingIndent);
                    line += separator;
                }
                line = Extend(s, line, Recurse([.. index, length - 1], nextHangingIndent, nextWidth), elementWidth,
                    hangingIndent);
                s.Append(line);
            }
            else
            {
                var lineSeparator = separator.TrimEnd() + new string('\n', axesLeft - 1);
                for (var i = 0; i < leading; i++)
                    s.Append(hangingIndent).Append(Recurse([.. index, i], nextHangingIndent, nextWidth))
                        .Append(lineSeparator);
                if (summary)
                    s.Append(hangingIndent).Append("...").Append(lineSeparator);
                for (var i = trailing; i > 1; i--)
                    s.Append(hangingIndent).Append(Recurse([.. index, length - i], nextHangingIndent, nextWidth))
                        .Append(lineSeparator);
                s.Append(hangingIndent).Append(Recurse([.. index, length - 1], nextHangingIndent, nextWidth));
            }
            return "[" + s.ToString()[hangingIndent.Length..] + "]";
        }

        private int Flat(int[] index)
        {
            var flat = 0;
            for (var i = 0; i < index.Length; i++)
                flat += index[i] * _strides[i];
            return flat;
        }

        // numpy's _extendLine: wrap before a word that would pass the width, unless the line holds only the indent.
        private static string Extend(StringBuilder s, string line, string word, int width, string nextLinePrefix)
        {
            var needsWrap = line.Length + word.Length > width && line.Length > nextLinePrefix.Length;
            if (needsWrap)
            {
                s.Append(line.TrimEnd()).Append('\n');
                line = nextLinePrefix;
            }
            return line + word;
        }
    }
}
