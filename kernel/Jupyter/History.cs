using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Theon.Kernel.Jupyter;

/// <summary>The inputs (and plain-text outputs) of this session, for history_request.</summary>
internal sealed class History
{
    private const int Session = 1;
    private readonly List<(int Line, string Input, string? Output)> entries = [];

    public void Add(int line, string input, string? output) => entries.Add((line, input, output));

    public JsonObject Reply(Message request)
    {
        var output = request.Flag("output", false);
        var selected = request.Text("hist_access_type", "tail") switch
        {
            "range" => Range(request),
            "search" => Search(request),
            _ => Tail(request.Number("n", 10)),
        };
        var history = new JsonArray();
        foreach (var (line, input, result) in selected)
            history.Add(new JsonArray(Session, line, output ? new JsonArray(input, result) : JsonValue.Create(input)));
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }

    private IEnumerable<(int, string, string?)> Tail(int n) => entries.Skip(Math.Max(0, entries.Count - n));

    private IEnumerable<(int, string, string?)> Range(Message request)
    {
        var start = request.Number("start", 1);
        var stop = request.Number("stop", int.MaxValue);
        if (stop <= 0) stop = int.MaxValue;
        return entries.Where(e => e.Line >= start && e.Line < stop);
    }

    private IEnumerable<(int, string, string?)> Search(Message request)
    {
        var glob = Regex.Escape(request.Text("pattern", "*")).Replace(@"\*", ".*").Replace(@"\?", ".");
        var pattern = new Regex("^" + glob + "$", RegexOptions.Singleline);
        var matches = entries.Where(e => pattern.IsMatch(e.Input));
        if (request.Flag("unique", false))
            matches = matches.GroupBy(e => e.Input).Select(g => g.Last()).OrderBy(e => e.Line);
        var n = request.Number("n", 0);
        return n > 0 ? matches.TakeLast(n) : matches;
    }
}
