using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;

namespace Theon.Interactive.Tests;

public partial class BrowserRenderingTests
{
    /// <summary>
    /// The RNN's gradient in chromium: the forward scan's frame holds its step's boxes, the backward scan's frame is
    /// collapsed, and its section below the drawing opens (without script) onto the whole step.
    /// </summary>
    [Fact]
    public void Scan_frames_hold_their_steps_and_a_collapsed_step_expands_in_chromium()
    {
        Extension.Load();
        var chromium = HeadlessChromium.Find();
        var (_, gradients) = ScanDrawingTests.Rnn();
        var path = Path.Combine(OutputFolder, "scan-graph.html");
        File.WriteAllText(path, $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Theon scan drawing</title></head><body>
            <div class="output_area">{{gradients[1].ToDisplayString(HtmlFormatter.MimeType)}}</div>
            <pre id="theon-results"></pre>
            <script>
            (function () {
              var inside = function (outer, inner) {
                return inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5
                  && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
              };
              var main = document.querySelector('.theon-graph-drawing svg.theon-graph');
              var frames = Array.prototype.map.call(main.querySelectorAll('.theon-frame'), function (f) {
                var box = f.querySelector('rect').getBoundingClientRect();
                var nodes = f.querySelectorAll('.theon-inner .theon-node rect');
                return {
                  label: f.querySelector('text').textContent,
                  collapsed: f.classList.contains('theon-collapsed-frame'),
                  width: box.width, height: box.height, innerNodes: nodes.length,
                  allInside: Array.prototype.every.call(nodes, function (n) { return inside(box, n.getBoundingClientRect()); })
                };
              });
              var section = document.querySelector('details.theon-step');
              var stepSvg = section.querySelector('svg.theon-graph');
              var closedVisible = stepSvg.checkVisibility();
              section.open = true;
              document.getElementById('theon-results').textContent = JSON.stringify({
                frames: frames, closedVisible: closedVisible, openVisible: stepSvg.checkVisibility(),
                openHeight: stepSvg.getBoundingClientRect().height,
                stepNodes: stepSvg.querySelectorAll('.theon-node').length,
                declaredStepNodes: Number(stepSvg.getAttribute('data-nodes'))
              });
            })();
            </script>
            </body></html>
            """);

        var results = ProbeResults(chromium, path);
        var frames = results.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.True(f.GetProperty("allInside").GetBoolean(), $"{f}: inner boxes inside the frame"));
        Assert.All(frames, f => Assert.True(f.GetProperty("height").GetDouble() > 30, $"{f} is drawn"));
        var forward = Assert.Single(frames, f => !f.GetProperty("collapsed").GetBoolean());
        Assert.Equal("for{cpu,scan_fn}", forward.GetProperty("label").GetString());
        Assert.True(forward.GetProperty("innerNodes").GetInt32() >= 8, $"{forward}: the forward step's nodes");
        var backward = Assert.Single(frames, f => f.GetProperty("collapsed").GetBoolean());
        Assert.Equal("for{cpu,grad_of_scan_fn}", backward.GetProperty("label").GetString());
        Assert.False(results.GetProperty("closedVisible").GetBoolean(), "the step's section starts closed");
        Assert.True(results.GetProperty("openVisible").GetBoolean(), "the opened section shows the step");
        Assert.True(results.GetProperty("openHeight").GetDouble() > 200, "the step's drawing has a real size");
        Assert.Equal(results.GetProperty("declaredStepNodes").GetInt32(), results.GetProperty("stepNodes").GetInt32());

        var png = Path.Combine(OutputFolder, "scan-graph.png");
        chromium.Screenshot(path, png, TimeSpan.FromSeconds(2), width: 1400, height: 1600);
        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot has content");
        output.WriteLine($"screenshot: {png}");
    }
}
