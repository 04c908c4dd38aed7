using System.Text.Json;

namespace Theon.Tests.Values;

/// <summary>tests/fixtures/values.json, written by tests/fixtures/make_values_fixtures.py with numpy.</summary>
internal static class Fixtures
{
    private static readonly Lazy<JsonElement> Root = new(Load);

    public static JsonElement Values => Root.Value;

    private static JsonElement Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "fixtures", "values.json");
            if (File.Exists(path))
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        throw new FileNotFoundException("tests/fixtures/values.json not found above " + AppContext.BaseDirectory);
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(Double).ToArray();

    public static double Double(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String => e.GetString() == "inf" ? double.PositiveInfinity : double.NegativeInfinity,
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => e.GetDouble(),
    };

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>An array of the fixture's dtype and shape holding its values.</summary>
    public static NDArray Array(JsonElement fixture)
    {
        var shape = Ints(fixture.GetProperty("shape"));
        var dtype = DType.Parse(fixture.GetProperty("dtype").GetString()!);
        var values = fixture.GetProperty("values");
        NDArray flat = dtype.IsBool
            ? values.EnumerateArray().Select(e => e.GetBoolean()).ToArray()
            : dtype.IsFloat ? Doubles(values) : Longs(values);
        return flat.astype(dtype).reshape(shape);
    }
}
