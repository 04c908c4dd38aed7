using System.Text.Json;
using Theon.Tests.Values;

namespace Theon.Tests.Ops;

/// <summary>tests/fixtures/ops_fixtures.json, written by tests/fixtures/make_ops_fixtures.py with numpy.</summary>
internal static class OpFixtures
{
    private static readonly Lazy<Dictionary<string, OpCase>> Cases = new(() => Load("ops_fixtures.json"));

    public static IReadOnlyDictionary<string, OpCase> All => Cases.Value;

    /// <summary>The cases of a fixture file of this format in tests/fixtures.</summary>
    internal static Dictionary<string, OpCase> Load(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "fixtures", file);
            if (!File.Exists(path)) continue;
            var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            return root.GetProperty("cases").EnumerateArray().ToDictionary(
                c => c.GetProperty("name").GetString()!,
                c => new OpCase(
                    [.. c.GetProperty("inputs").EnumerateArray().Select(Fixtures.Array)],
                    Fixtures.Array(c.GetProperty("output"))));
        }
        throw new FileNotFoundException($"tests/fixtures/{file} not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record OpCase(NDArray[] Inputs, NDArray Expected);
