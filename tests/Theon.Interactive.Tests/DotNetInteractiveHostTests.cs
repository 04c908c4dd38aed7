using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Theon.Interactive.Tests;

[Collection(PlotlySessionCollection.Name)]
public class DotNetInteractiveHostTests
{
    /// <summary>A .NET Interactive kernel whose submissions run a C# action instead of compiling code.</summary>
    private sealed class ActionKernel(Action run) : Kernel("theon-test"), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context)
        {
            run();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Display_and_update_go_through_the_running_submission()
    {
        Extension.Load();
        var host = new DotNetInteractiveHost();
        using var kernel = new ActionKernel(() =>
        {
            var handle = host.Display(Plot.Line([1.0, 2.0], title: "<first>"));
            handle.Update(Plot.Line([1.0, 2.0, 3.0], title: "second"));
        });
        var result = await kernel.SendAsync(new SubmitCode("run"), TestContext.Current.CancellationToken);
        var produced = Assert.Single(result.Events.OfType<DisplayedValueProduced>());
        var updated = Assert.Single(result.Events.OfType<DisplayedValueUpdated>());
        Assert.Equal(produced.ValueId, updated.ValueId);
        var html = Assert.Single(updated.FormattedValues, v => v.MimeType == "text/html").Value;
        var y = FigureJson.FromHtml(html).GetProperty("data")[0].GetProperty("y");
        Assert.Equal([1.0, 2, 3], FigureJson.Doubles(y));
        var first = FigureJson.FromHtml(Assert.Single(produced.FormattedValues, v => v.MimeType == "text/html").Value);
        Assert.Equal("<first>", first.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.DoesNotContain(result.Events, e => e is CommandFailed);
    }

    [Fact]
    public async Task An_update_left_for_the_end_of_the_cell_still_reaches_the_front_end()
    {
        Extension.Load();
        var host = new DotNetInteractiveHost();
        using var kernel = new ActionKernel(() =>
        {
            var handle = host.Display(Plot.Line([1.0], title: "live"));
            host.WhenCellEnds(() => handle.Update(Plot.Line([1.0, 2.0], title: "live")));
        });
        var result = await kernel.SendAsync(new SubmitCode("run"), TestContext.Current.CancellationToken);
        var produced = Assert.Single(result.Events.OfType<DisplayedValueProduced>());
        var updated = Assert.Single(result.Events.OfType<DisplayedValueUpdated>());
        Assert.Equal(produced.ValueId, updated.ValueId);
        var html = Assert.Single(updated.FormattedValues, v => v.MimeType == "text/html").Value;
        Assert.Equal(2, FigureJson.FromHtml(html).GetProperty("data")[0].GetProperty("y").GetArrayLength());
    }

    [Fact]
    public void Display_outside_a_submission_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DotNetInteractiveHost().Display(1));
        Assert.Contains("outside a running .NET Interactive submission", error.Message);
    }
}
