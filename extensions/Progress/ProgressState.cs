using System.Globalization;

namespace Theon.Interactive;

/// <summary>
/// Where a <see cref="Notebook.progress{T}"/> loop stands: shown as a bar with rate and ETA (text/html) or a
/// tqdm-style line (text/plain).
/// </summary>
public sealed record ProgressState(
    string Description, long Count, long? Total, TimeSpan Elapsed, ProgressOutcome Outcome)
{
    public double? Fraction => Total is > 0 ? Math.Min(1.0, (double)Count / Total.Value) : null;

    /// <summary>Items per second so far; null before the first item.</summary>
    public double? Rate => Count > 0 && Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : null;

    public TimeSpan? Remaining =>
        Rate is { } rate && Total is { } total && total >= Count ? TimeSpan.FromSeconds((total - Count) / rate) : null;

    public override string ToString()
    {
        var prefix = Description.Length > 0 ? Description + ": " : "";
        var counts = Total is { } total ? $"{Count}/{total}" : $"{Count}";
        var timing = $"[{Clock(Elapsed)}<{(Remaining is { } r ? Clock(r) : "?")}, {RateText}]";
        var status = Outcome switch
        {
            ProgressOutcome.Stopped => " stopped",
            ProgressOutcome.Failed => " failed",
            _ => "",
        };
        if (Fraction is not { } fraction) return $"{prefix}{counts} {timing}{status}";
        const int width = 20;
        var filled = (int)Math.Round(fraction * width);
        var bar = new string('█', filled) + new string(' ', width - filled);
        return $"{prefix}{fraction * 100,3:F0}%|{bar}| {counts} {timing}{status}";
    }

    internal string RateText => Rate switch
    {
        null => "? it/s",
        >= 1 or 0 => string.Create(CultureInfo.InvariantCulture, $"{Rate:F2} it/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{1 / Rate:F2} s/it"),
    };

    internal static string Clock(TimeSpan time) =>
        time.TotalHours >= 1
            ? $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}"
            : $"{time.Minutes:00}:{time.Seconds:00}";
}

public enum ProgressOutcome { Running, Done, Stopped, Failed }
