using Theon.Interactive;
using Theon.Kernel.Engine;

namespace Theon.Kernel.Tests;

public sealed class WhosTests : IDisposable
{
    private readonly INotebookHost? previousHost = Notebook.Host;
    private readonly RecordingHost host = new();

    public WhosTests() => Notebook.Host = host;

    public void Dispose() => Notebook.Host = previousHost;

    [Fact]
    public void Whos_displays_the_latest_binding_of_each_variable_after_the_cell_runs()
    {
        var engine = new ScriptEngine();
        engine.Run("var x = 1;\nvar s = \"text\";");
        engine.Run("var x = \"two\";");
        var (outcome, _) = engine.Run("x = \"three\";\n#!whos");
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var table = Assert.IsType<VariableTable>(Assert.Single(host.Shown));
        Assert.Equal(["x", "s"], table.Rows.Select(r => r.Name));
        Assert.Equal(new VariableRow("x", "string", "three"), table.Rows[0]);
    }

    [Fact]
    public void Whos_describes_theon_values()
    {
        var engine = new ScriptEngine();
        engine.Run("var m = dmatrix(\"m\");\nvar w = shared(np.zeros(3, 4), \"w\");");
        engine.Run("var a = np.arange(12).reshape(3, 4);\nvar b = np.arange(3);\nvar list = new List<int?> { 1 };");
        var rows = engine.Variables().Rows.ToDictionary(r => r.Name);
        Assert.Equal("TensorType(float64, matrix)", rows["m"].Value);
        Assert.Equal("SharedVariable", rows["w"].Type);
        Assert.Equal("float64, shape (3, 4)", rows["w"].Value);
        Assert.Equal("NDArray", rows["a"].Type);
        Assert.Equal("int64, shape (3, 4): [0, 1, 2, 3, 4, ...]", rows["a"].Value);
        Assert.Equal("int64, shape (3,): [0, 1, 2]", rows["b"].Value);
        Assert.Equal("List<int?>", rows["list"].Type);
    }

    [Fact]
    public void Text_table_aligns_columns_and_html_escapes_values()
    {
        var engine = new ScriptEngine();
        engine.Run("var count = 42;\nvar page = \"<script>alert(1)</script>\";");
        var table = engine.Variables();
        var lines = table.ToText().Split('\n');
        Assert.Equal("Name   Type    Value", lines[0]);
        Assert.Equal("count  int     42", lines[2]);
        Assert.Equal("page   string  <script>alert(1)</script>", lines[3]);
        var html = table.ToHtml();
        Assert.StartsWith("<table", html);
        Assert.Contains("<th style=\"text-align:left\">Name</th>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void The_formatting_registry_renders_the_table_as_html_and_text()
    {
        VariableTable.RegisterFormatters();
        var bundle = MimeBundle.For(new VariableTable([new VariableRow("x", "int", "1")]));
        Assert.Contains("<table", bundle["text/html"]);
        Assert.Equal("Name  Type  Value\n----  ----  -----\nx     int   1", bundle[MimeBundle.PlainText]);
    }

    [Fact]
    public void Whos_keeps_line_numbers_and_shows_the_table_when_the_cell_fails()
    {
        var engine = new ScriptEngine();
        var (outcome, _) = engine.Run("#!time\n#!whos\nvar z = 0;\nvar q = 1 / z;");
        Assert.Equal(4, outcome.Error!.Line);
        var table = Assert.IsType<VariableTable>(Assert.Single(host.Shown));
        Assert.Contains(table.Rows, r => r.Name == "z");
    }

    [Fact]
    public void Without_a_notebook_host_whos_writes_the_text_table()
    {
        Notebook.Host = null;
        var engine = new ScriptEngine();
        Assert.Equal("No variables.", engine.Variables().ToText());
        var (_, output) = engine.Run("var y = 2.5;\n#!whos");
        Assert.Contains("y     double  2.5", output.Text("stdout"));
    }

    private sealed class RecordingHost : INotebookHost
    {
        public List<object?> Shown { get; } = [];

        public bool IsTerminal => false;

        public DisplayHandle Display(object? value, string? mimeType = null)
        {
            Shown.Add(value);
            return new DisplayHandle(this, $"d{Shown.Count}", mimeType);
        }

        public void Update(DisplayHandle handle, object? value, string? mimeType = null)
        {
        }
    }
}
