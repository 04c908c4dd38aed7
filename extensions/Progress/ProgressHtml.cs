using System.Globalization;

namespace Theon.Interactive;

/// <summary>
/// The notebook rendering of a <see cref="ProgressState"/>: a bar, counts, elapsed time, ETA and rate.
/// </summary>
internal static class ProgressHtml
{
    public static string Render(ProgressState state)
    {
        var color = state.Outcome switch
        {
            ProgressOutcome.Done => "#2e9e44",
            ProgressOutcome.Stopped => "#d08a1c",
            ProgressOutcome.Failed => "#c0392b",
            _ => "#3a7bd5",
        };
        var percent = state.Fraction is { } fraction
            ? fraction * 100
            : state.Outcome == ProgressOutcome.Running ? 0 : 100;
        var counts = state.Total is { } total ? $"{state.Count}/{total}" : $"{state.Count}";
        var percentText = state.Fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f * 100:F0}% ") : "";
        var eta = state.Remaining is { } remaining ? ProgressState.Clock(remaining) : "?";
        var outcomeName = state.Outcome.ToString().ToLowerInvariant();
        var outcome = state.Outcome is ProgressOutcome.Running or ProgressOutcome.Done ? "" : " " + outcomeName;
        var width = percent.ToString("F1", CultureInfo.InvariantCulture);
        var elapsed = ProgressState.Clock(state.Elapsed);
        return $"""
            <div class="theon-progress" data-count="{state.Count}" data-outcome="{outcomeName}"
             style="display:flex;align-items:center;gap:0.6em;font-family:monospace;font-size:13px;">
            <span class="theon-progress-description">{Html.Text(state.Description)}</span>
            <div style="width:260px;height:12px;border:1px solid #9aa5b1;border-radius:3px;overflow:hidden;
             background:#eef1f4;">
            <div class="theon-progress-bar" style="width:{width}%;height:100%;background:{color};"></div></div>
            <span>{percentText}{counts} [{elapsed}&lt;{eta}, {state.RateText}]{outcome}</span>
            </div>
            """;
    }
}
