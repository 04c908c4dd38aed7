namespace Theon.Interactive;

/// <summary>A series drawn with block characters, for terminals.</summary>
internal static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    public static string Of(IReadOnlyList<double> values, int width = 24)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return "";
        var count = Math.Min(width, finite.Length);
        double min = finite.Min(), max = finite.Max();
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)((long)finite.Length * i / count);
            var end = Math.Max(start + 1, (int)((long)finite.Length * (i + 1) / count));
            var mean = finite[start..end].Average();
            var level = max > min ? (int)Math.Round((mean - min) / (max - min) * (Blocks.Length - 1)) : 0;
            chars[i] = Blocks[level];
        }
        return new string(chars);
    }
}
