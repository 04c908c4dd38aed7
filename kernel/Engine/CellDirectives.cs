namespace Theon.Kernel.Engine;

/// <summary>
/// The kernel's own magic lines in a cell, blanked so line numbers stay the cell's: <c>#!time</c> among the leading
/// lines, <c>#!whos</c> on a line of its own anywhere.
/// </summary>
internal sealed record CellDirectives(string Code, bool Timed, bool Whos)
{
    private const string Time = "#!time";
    private const string Variables = "#!whos";

    public static CellDirectives Parse(string code)
    {
        var lines = code.Split('\n');
        var timed = false;
        var whos = false;
        var leading = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == Variables) whos = true;
            else if (leading && line == Time) timed = true;
            else
            {
                leading &= line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal);
                continue;
            }
            lines[i] = "";
        }
        return new CellDirectives(timed || whos ? string.Join('\n', lines) : code, timed, whos);
    }
}
