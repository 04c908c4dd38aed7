using static Theon.T;

namespace Theon.Tests.Scan;

/// <summary>pp and debugprint of scan, as Theano prints them: the node is <c>for{cpu,scan_fn}</c>, and debugprint lists
/// each scan's inner graph under "Inner graphs of the scan ops:", step inputs linked to the outer inputs they read.</summary>
public class ScanPrintTests
{
    [Fact]
    public void DebugprintShowsTheInnerGraph()
    {
        var a = dvector("A");
        var k = iscalar("k");
        var (result, _) = scan((prior, v) => prior * v, outputs_info: ones_like(a), non_sequences: a, n_steps: k);
        var text = debugprint(result);
        var lines = text.Split('\n');
        Assert.StartsWith("Subtensor{int64::}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(" |for{cpu,scan_fn} [id B] ''"));
        var section = Array.IndexOf(lines, "Inner graphs of the scan ops:");
        Assert.True(section > 0, text);
        Assert.Equal("for{cpu,scan_fn} [id B] ''   ", lines[section + 2]);
        Assert.Matches(@"^ >Elemwise\{mul,no_inplace\} \[id [A-Z]+\] ''", lines[section + 3]);
        Assert.Matches(@"^ > \|output0\[t-1\] \[id [A-Z]+\] -> \[id [A-Z]+\]$", lines[section + 4]);
        var aId = System.Text.RegularExpressions.Regex.Match(text, @"\|A \[id ([A-Z]+)\]").Groups[1].Value;
        Assert.EndsWith($"-> [id {aId}]", lines[section + 5]);
    }

    [Fact]
    public void PpNamesTheLoop()
    {
        var x = dvector("x");
        var (rows, _) = scan(v => v * 2.0, sequences: x, name: "double_it");
        Assert.StartsWith("for{cpu,double_it}(", pp(rows));
    }
}
