using Microsoft.CodeAnalysis.Scripting;

namespace Theon.Kernel.Engine;

/// <summary>
/// Compiled cells that declare nothing, by their code, valid while the session's head submission stays the same:
/// running such a cell again (a training loop, a plot refresh) reuses its compiled submission instead of loading a
/// new assembly. Cleared whenever a declaring cell moves the head.
/// </summary>
internal sealed class BranchCache
{
    private const int Capacity = 64;
    private readonly Dictionary<string, Script<object?>> scripts = new(StringComparer.Ordinal);

    public Script<object?>? Find(string code) => scripts.GetValueOrDefault(code);

    public void Remember(string code, Script<object?> script)
    {
        if (scripts.Count >= Capacity && !scripts.ContainsKey(code)) scripts.Clear();
        scripts[code] = script;
    }

    public void Clear() => scripts.Clear();
}
