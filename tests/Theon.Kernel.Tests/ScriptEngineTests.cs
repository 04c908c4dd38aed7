using Theon.Kernel.Engine;

namespace Theon.Kernel.Tests;

public class ScriptEngineTests
{
    [Fact]
    public void State_carries_across_cells()
    {
        var engine = new ScriptEngine();
        engine.Run("var x = 20;");
        engine.Run("int Twice(int v) => 2 * v;");
        Assert.Equal(41, engine.Value("Twice(x) + 1"));
    }

    [Fact]
    public void Trailing_expression_is_the_value_and_a_statement_has_none()
    {
        var engine = new ScriptEngine();
        Assert.Equal("ab", engine.Value("\"a\" + \"b\""));
        Assert.Null(engine.Value("var s = 1;"));
    }

    [Fact]
    public void A_compile_error_names_line_and_column_and_keeps_state()
    {
        var engine = new ScriptEngine();
        engine.Run("var kept = 7;");
        var (outcome, _) = engine.Run("var a = 1;\nvar b = missing + 1;");
        Assert.Equal("CompilationError", outcome.Error!.Name);
        Assert.Equal(2, outcome.Error.Line);
        Assert.Contains("(2,9): error CS0103", outcome.Error.Message);
        Assert.Equal(7, engine.Value("kept"));
    }

    [Fact]
    public void A_runtime_error_names_the_line_and_keeps_earlier_assignments()
    {
        var engine = new ScriptEngine();
        var (outcome, _) = engine.Run("var before = 3;\nvar zero = 0;\nvar boom = 1 / zero;");
        Assert.Equal("DivideByZeroException", outcome.Error!.Name);
        Assert.Equal(3, outcome.Error.Line);
        Assert.Equal(3, engine.Value("before"));
    }

    [Fact]
    public void Usings_in_a_later_cell_apply_to_later_cells()
    {
        var engine = new ScriptEngine();
        Assert.False(engine.Run("var sb = new StringBuilder(); var r = new Regex(\"a+\");").Outcome.Succeeded);
        engine.Run("using System.Text.RegularExpressions;");
        Assert.Equal(true, engine.Value("new Regex(\"a+\").IsMatch(\"caat\")"));
    }

    [Fact]
    public void Default_imports_include_the_notebook_functions()
    {
        var engine = new ScriptEngine();
        var (outcome, _) = engine.Run("Check(1 + 1 == 3, \"arithmetic\");");
        Assert.Equal("CheckFailedException", outcome.Error!.Name);
        Assert.Contains("arithmetic", outcome.Error.Message);
    }

    [Fact]
    public void Stdout_and_stderr_are_captured_in_order_including_threads_and_tasks()
    {
        var engine = new ScriptEngine();
        var (outcome, output) = engine.Run("""
            Console.WriteLine("one");
            Console.Error.WriteLine("two");
            await Task.Run(() => Console.WriteLine("three"));
            var thread = new Thread(() => Console.Write("four\n"));
            thread.Start(); thread.Join();
            """);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal("one\nthree\nfour\n", output.Text("stdout"));
        Assert.Equal("two\n", output.Text("stderr"));
        Assert.Equal(["stdout", "stderr", "stdout", "stdout"], output.Writes.Select(w => w.Stream));
    }

    [Fact]
    public void Time_magic_reports_wall_time_and_keeps_line_numbers()
    {
        var engine = new ScriptEngine();
        var (outcome, output) = engine.Run("#!time\nvar z = 0;\nvar q = 1 / z;");
        Assert.Equal(3, outcome.Error!.Line);
        Assert.Matches(@"Wall time: [0-9.]+ ms", output.Text("stdout"));
    }

    [Fact]
    public void Load_runs_another_script_in_the_same_state()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(System.IO.Path.Combine(dir.Path, "helper.csx"), "int Helper() => 99;");
        var engine = new ScriptEngine(dir.Path);
        engine.Run("#load \"helper.csx\"");
        Assert.Equal(99, engine.Value("Helper()"));
    }

    [Fact]
    public void Re_running_a_cell_that_declares_nothing_sees_current_state_and_redeclarations()
    {
        var engine = new ScriptEngine();
        engine.Run("var a = 1; var counter = 0;");
        for (var i = 0; i < 3; i++) engine.Run("counter += a;");
        Assert.Equal(3, engine.Value("counter"));
        engine.Run("var a = 10;");
        engine.Run("counter += a;");
        Assert.Equal(13, engine.Value("counter"));
        Assert.Equal(10, engine.Value("a"));
    }

    [Fact]
    public void A_failing_cell_that_declares_nothing_reports_its_line_when_run_again()
    {
        var engine = new ScriptEngine();
        engine.Run("var zero = 0;");
        const string code = "var unused = 0;\nConsole.WriteLine(1 / zero);";
        Assert.Equal(2, engine.Run("Console.WriteLine();\nConsole.WriteLine(1 / zero);").Outcome.Error!.Line);
        Assert.Equal(2, engine.Run("Console.WriteLine();\nConsole.WriteLine(1 / zero);").Outcome.Error!.Line);
        Assert.Equal(2, engine.Run(code).Outcome.Error!.Line);
        Assert.Equal(0, engine.Value("unused"));
    }
}
