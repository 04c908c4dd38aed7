using System.Text.Json.Nodes;
using Theon.Kernel.Runner;

namespace Theon.Kernel.Tests;

public class ScriptRunnerTests
{
    [Fact]
    public void Runs_a_notebook_and_writes_outputs_and_execution_counts()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "in.ipynb");
        var output = Path.Combine(dir.Path, "out.ipynb");
        File.WriteAllText(input,
            Notebook("var n = 20;\\nConsole.WriteLine(\\\"hello\\\");", "display(\\\"shown\\\");\\nn + 1"));
        Assert.Equal(0, ScriptRunner.Run(new FileInfo(input), new FileInfo(output)));
        var written = JsonNode.Parse(File.ReadAllText(output))!;
        Assert.Equal(5, written["nbformat_minor"]!.GetValue<int>());
        var cells = written["cells"]!.AsArray();
        Assert.All(cells, c => Assert.False(string.IsNullOrEmpty(c!["id"]?.GetValue<string>())));
        Assert.Equal(1, cells[0]!["execution_count"]!.GetValue<int>());
        Assert.Equal("hello\n", cells[0]!["outputs"]![0]!["text"]!.GetValue<string>());
        var second = cells[1]!["outputs"]!.AsArray();
        Assert.Equal("display_data", second[0]!["output_type"]!.GetValue<string>());
        Assert.Null(second[0]!["transient"]);
        Assert.Equal("execute_result", second[1]!["output_type"]!.GetValue<string>());
        Assert.Equal("21", second[1]!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void Stops_at_the_first_error_with_a_non_zero_exit()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "bad.ipynb");
        var output = Path.Combine(dir.Path, "out.ipynb");
        File.WriteAllText(input,
            Notebook("var ok = 1;", "var a = 1;\\nthrow new InvalidOperationException(\\\"bad\\\");",
                "var never = 2;"));
        Assert.Equal(1, ScriptRunner.Run(new FileInfo(input), new FileInfo(output)));
        var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray();
        Assert.Equal("error", cells[1]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", cells[1]!["outputs"]![0]!["ename"]!.GetValue<string>());
        Assert.Null(cells[2]!["execution_count"]);
    }

    [Fact]
    public void Whos_is_a_display_with_a_text_table_and_an_html_table()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "whos.ipynb");
        var output = Path.Combine(dir.Path, "out.ipynb");
        File.WriteAllText(input, Notebook("var n = 20;\\n#!whos"));
        Assert.Equal(0, ScriptRunner.Run(new FileInfo(input), new FileInfo(output)));
        var shown = JsonNode.Parse(File.ReadAllText(output))!["cells"]![0]!["outputs"]![0]!;
        Assert.Equal("display_data", shown["output_type"]!.GetValue<string>());
        Assert.Contains("n     int   20", shown["data"]!["text/plain"]!.GetValue<string>());
        var html = shown["data"]!["text/html"]!.GetValue<string>();
        Assert.Contains("<td style=\"text-align:left\"><code>n</code></td>", html);
    }

    [Fact]
    public void A_missing_or_malformed_file_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        Assert.Equal(2, ScriptRunner.Run(new FileInfo(Path.Combine(dir.Path, "none.csx")), null));
        var broken = Path.Combine(dir.Path, "broken.ipynb");
        File.WriteAllText(broken, "{ not json");
        Assert.Equal(2, ScriptRunner.Run(new FileInfo(broken), null));
    }

    [Fact]
    public void The_backend_option_sets_config_backend_before_the_first_cell()
    {
        using var dir = new TempDirectory();
        var input = Path.Combine(dir.Path, "backend.ipynb");
        var output = Path.Combine(dir.Path, "out.ipynb");
        File.WriteAllText(input, Notebook("config.backend"));
        var before = Theon.T.config.backend;
        try
        {
            Assert.Equal(0, Cli.Build().Parse(["run", input, "--output", output, "--backend", "reference"]).Invoke());
            var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray();
            Assert.Equal("reference", cells[0]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
            Assert.NotEqual(0, Cli.Build().Parse(["run", input, "--backend", "tpu"]).Invoke());
        }
        finally
        {
            Theon.T.config.backend = before;
        }
    }

    private static string Notebook(params string[] sources) =>
        "{\"cells\": [" + string.Join(",", sources.Select(s =>
            $"{{\"cell_type\": \"code\", \"metadata\": {{}}, \"source\": \"{s}\", \"outputs\": [], "
            + "\"execution_count\": null}"))
        + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}";
}
