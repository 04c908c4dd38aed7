using System.Diagnostics;
using Theon.Kernel.Engine;
using Theon.Kernel.Runtime;

namespace Theon.Kernel.Tests;

public class InterruptTests
{
    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("Thread.Sleep(60000);")]
    [InlineData("await Task.Delay(60000);")]
    [InlineData("void Spin() { for (;;) ; } Spin();")]
    [InlineData("int Deep(int n) => n == 0 ? 0 : Deep(n - 1) + 0; while (true) Deep(10);")]
    public void An_interrupt_stops_the_cell_within_two_seconds_and_keeps_variables(string code)
    {
        var engine = new ScriptEngine();
        engine.Run("var survivor = 5;");
        using var timer = new Timer(_ => Interruption.Request(), null, 300, Timeout.Infinite);
        var clock = Stopwatch.StartNew();
        var (outcome, _) = engine.Run(code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.3), $"took {clock.Elapsed}");
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        Assert.Equal(5, engine.Value("survivor"));
    }

    [Fact]
    public void Theon_compiled_functions_see_the_interrupt_token()
    {
        var engine = new ScriptEngine();
        var (outcome, _) = engine.Run("""
            var token = Theon.Interrupts.Token;
            Theon.Kernel.Runtime.Interruption.Request();
            token.ThrowIfCancellationRequested();
            """);
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        Assert.True(engine.Run("Theon.Interrupts.Token.IsCancellationRequested == false").Outcome.Value is true);
    }

    [Fact]
    public void Rewriting_keeps_line_numbers()
    {
        var engine = new ScriptEngine();
        var (outcome, _) = engine.Run(
            "var i = 0;\nwhile (i < 10)\n  i++;\nfor (var j = 0; j < 1; j++) {\n  throw new Exception(\"here\"); }");
        Assert.Equal(5, outcome.Error!.Line);
    }
}
