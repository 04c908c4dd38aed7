namespace Theon.Kernel.Engine;

/// <summary>The kernel's own magic lines in a cell (<c>#!time</c>), blanked so line numbers stay the cell's.</summary>
internal sealed record CellDirectives(string Code, bool Timed)
{
    public static CellDirectives Parse(string code)
    {
        var lines = code.Split('\n');
        var timed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (line != "#!time") break;
            timed = true;
            lines[i] = "";
        }
        return new CellDirectives(timed ? string.Join('\n', lines) : code, timed);
    }
}
