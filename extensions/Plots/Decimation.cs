namespace Theon.Interactive;

/// <summary>
/// Thins a long line for drawing: each bucket keeps its lowest and highest point, in order, and the first and last
/// points are always kept, so spikes and the final value survive while the notebook stays small.
/// </summary>
internal static class Decimation
{
    public const int MaxLinePoints = 4000;

    public static (double[] X, double[] Y) MinMax(double[] x, double[] y, int maxPoints = MaxLinePoints)
    {
        if (y.Length <= maxPoints) return (x, y);
        var buckets = (maxPoints - 2) / 2;
        var keep = new List<int>(maxPoints) { 0 };
        var interior = y.Length - 2;
        for (var b = 0; b < buckets; b++)
        {
            var start = 1 + (int)((long)interior * b / buckets);
            var end = 1 + (int)((long)interior * (b + 1) / buckets);
            if (start >= end) continue;
            int lo = start, hi = start;
            for (var i = start + 1; i < end; i++)
            {
                if (y[i] < y[lo]) lo = i;
                if (y[i] > y[hi]) hi = i;
            }
            keep.Add(Math.Min(lo, hi));
            if (lo != hi) keep.Add(Math.Max(lo, hi));
        }
        keep.Add(y.Length - 1);
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
    }
}
