using System.Numerics;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// The pooling kernels: window by window as the reference, in the element type, into the planned output, the images
/// split over the <see cref="WorkerPool"/>. The window, stride and padding are constants of the node, read once.
/// </summary>
internal abstract class PoolWork<T>(NodeSlots slots, PoolParameters parameters) : NodeKernel(slots), IPartitionedWork
    where T : unmanaged, INumber<T>
{
    protected PoolParameters Parameters { get; } = parameters;

    protected PoolGeometry G { get; private set; }

    public override bool WritesPlannedOutputs => true;

    protected void RunPlanes(in PoolGeometry g)
    {
        G = g;
        // Small images are not worth a thread.
        var parts = g.InputSize < 1 << 15 ? 1 : Math.Max(1, Math.Min(Theon.T.config.EffectiveThreads, g.Planes));
        WorkerPool.Run(this, parts);
    }

    public void Run(int part, int parts) =>
        RunPlanes((int)((long)G.Planes * part / parts), (int)((long)G.Planes * (part + 1) / parts));

    protected abstract void RunPlanes(int start, int end);

    protected static NDArray Contiguous(NDArray a) => a.IsContiguous ? a : a.Copy();

    protected static ReadOnlySpan<T> Elements(NDArray a) => ((T[])a.Buffer).AsSpan(a.Offset, a.size);

    protected static Span<T> Writable(NDArray a) => ((T[])a.Buffer).AsSpan(0, a.size);

    /// <summary>The output shape: the input's with the pooled sizes, in a reused array.</summary>
    protected static int[] Pooled(int[] reuse, ReadOnlySpan<int> input, in PoolGeometry g)
    {
        input.CopyTo(reuse);
        (reuse[^2], reuse[^1]) = (g.OutH, g.OutW);
        return reuse;
    }

    /// <summary>Windows that tile the image: stride = window, no padding, every window whole (LeNet's 2×2 pooling).
    /// Each input element is then in at most one window.</summary>
    protected static bool Tiled(in PoolGeometry g) => g.StrideH == g.WsH && g.StrideW == g.WsW && g.PadH == 0
        && g.PadW == 0 && g.OutH * g.WsH <= g.Height && g.OutW * g.WsW <= g.Width;

    protected static void Require(string op, string role, Variable v, NDArray value, ReadOnlySpan<int> expected)
    {
        if (!value.Dims.AsSpan().SequenceEqual(expected))
            PoolChecks.RequirePooledShape(op, role, v, value, expected.ToArray());
    }
}

/// <summary><see cref="Pool"/> in every mode.</summary>
internal sealed class PoolKernel<T>(NodeSlots slots) : PoolWork<T>(slots, PoolParameters.Of(slots.Node, 1))
    where T : unmanaged, INumber<T>
{
    private readonly Pool op = (Pool)slots.Node.op;
    private readonly int[] shape = new int[slots.Node.inputs[0].ndim];
    private NDArray? x, z;

    public override void Run(Frame frame)
    {
        x = Contiguous(frame.Input(Slots.Inputs[0]));
        var g = PoolGeometry.Create(x.Dims, Parameters, op.IgnoreBorder, op.Mode);
        z = frame.Output(Slots.Outputs[0], Pooled(shape, x.Dims, g));
        RunPlanes(g);
        (x, z) = (null, null);
    }

    protected override void RunPlanes(int start, int end)
    {
        var g = G;
        var input = Elements(x!);
        var output = Writable(z!);
        var (max, average) = (g.Mode == "max", g.Mode.StartsWith("average", StringComparison.Ordinal));
        if (max && Tiled(g))
        {
            MaxOfTiles(g, input, output, start, end);
            return;
        }
        for (var plane = start; plane < end; plane++)
        {
            var image = input.Slice(plane * g.Height * g.Width, g.Height * g.Width);
            for (var r = 0; r < g.OutH; r++)
            for (var c = 0; c < g.OutW; c++)
            {
                var (r0, r1, c0, c1, count) = g.Window(r, c);
                var acc = max ? image[r0 * g.Width + c0] : T.Zero;
                for (var i = r0; i < r1; i++)
                {
                    var row = image.Slice(i * g.Width, g.Width);
                    for (var j = c0; j < c1; j++) acc = max ? T.Max(acc, row[j]) : acc + row[j];
                }
                output[(plane * g.OutH + r) * g.OutW + c] = average ? acc / T.CreateChecked(count) : acc;
            }
        }
    }

    /// <summary>Max over tiling windows: the window read directly, in the reference's order (T.Max keeps its NaN
    /// rule).</summary>
    private static void MaxOfTiles(in PoolGeometry g, ReadOnlySpan<T> input, Span<T> output, int start, int end)
    {
        var size = g.Height * g.Width;
        for (var plane = start; plane < end; plane++)
        {
            var image = input.Slice(plane * size, size);
            var z = output.Slice(plane * g.OutH * g.OutW, g.OutH * g.OutW);
            for (var r = 0; r < g.OutH; r++)
            for (var c = 0; c < g.OutW; c++)
            {
                var corner = r * g.WsH * g.Width + c * g.WsW;
                var acc = image[corner];
                for (var i = 0; i < g.WsH; i++)
                {
                    var row = image.Slice(corner + i * g.Width, g.WsW);
                    for (var j = 0; j < row.Length; j++) acc = T.Max(acc, row[j]);
                }
                z[r * g.OutW + c] = acc;
            }
        }
    }
}

/// <summary><see cref="MaxPoolGrad"/>: each window's gradient added to every input equal to its maximum.</summary>
internal sealed class MaxPoolGradKernel<T>(NodeSlots slots) : PoolWork<T>(slots, PoolParameters.Of(slots.Node, 3))
    where T : unmanaged, INumber<T>
{
    private readonly MaxPoolGrad op = (MaxPoolGrad)slots.Node.op;
    private readonly int[] pooled = new int[slots.Node.inputs[0].ndim];
    private NDArray? x, maxout, gz, gx;

    public override void Run(Frame frame)
    {
        x = Contiguous(frame.Input(Slots.Inputs[0]));
        (maxout, gz) = (Contiguous(frame.Input(Slots.Inputs[1])), Contiguous(frame.Input(Slots.Inputs[2])));
        var g = PoolGeometry.Create(x.Dims, Parameters, op.IgnoreBorder, "max");
        Pooled(pooled, x.Dims, g);
        Require(nameof(MaxPoolGrad), "maximum", Slots.Node.inputs[1], maxout, pooled);
        Require(nameof(MaxPoolGrad), "output gradient", Slots.Node.inputs[2], gz, pooled);
        gx = frame.Output(Slots.Outputs[0], x.Dims);
        RunPlanes(g);
        (x, maxout, gz, gx) = (null, null, null, null);
    }

    protected override void RunPlanes(int start, int end)
    {
        var g = G;
        var input = Elements(x!);
        var max = Elements(maxout!);
        var grad = Elements(gz!);
        var output = Writable(gx!);
        var size = g.Height * g.Width;
        if (Tiled(g) && g.OutW * g.WsW <= MaxTiledRow && Vector.IsHardwareAccelerated)
        {
            RouteToTiles(g, input, max, grad, output, start, end);
            return;
        }
        output.Slice(start * size, (end - start) * size).Clear();
        for (var plane = start; plane < end; plane++)
        {
            var image = input.Slice(plane * size, size);
            var target = output.Slice(plane * size, size);
            for (var r = 0; r < g.OutH; r++)
            for (var c = 0; c < g.OutW; c++)
            {
                var cell = (plane * g.OutH + r) * g.OutW + c;
                var (m, d) = (max[cell], grad[cell]);
                var (r0, r1, c0, c1, _) = g.Window(r, c);
                for (var i = r0; i < r1; i++)
                for (var j = c0; j < c1; j++)
                {
                    if (image[i * g.Width + j] == m) target[i * g.Width + j] += d;
                }
            }
        }
    }

    private const int MaxTiledRow = 1024;

    /// <summary>
    /// Tiling windows: each input element is in at most one window, so its gradient is written, not added: the
    /// window's gradient where the element equals the window's maximum (every tie, as the reference), else 0. A row
    /// of windows is spread over its input rows once, then each input row is one vector compare and select.
    /// </summary>
    private static void RouteToTiles(in PoolGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> max,
        ReadOnlySpan<T> grad, Span<T> output, int start, int end)
    {
        var size = g.Height * g.Width;
        var covered = g.OutW * g.WsW;
        Span<T> maxima = stackalloc T[covered];
        Span<T> gradients = stackalloc T[covered];
        for (var plane = start; plane < end; plane++)
        {
            var image = input.Slice(plane * size, size);
            var target = output.Slice(plane * size, size);
            for (var r = 0; r < g.OutH; r++)
            {
                var cells = (plane * g.OutH + r) * g.OutW;
                for (int c = 0, j = 0; c < g.OutW; c++)
                {
                    for (var k = 0; k < g.WsW; k++, j++) (maxima[j], gradients[j]) = (max[cells + c], grad[cells + c]);
                }
                for (var i = r * g.WsH; i < (r + 1) * g.WsH; i++)
                {
                    var x = image.Slice(i * g.Width, covered);
                    var gx = target.Slice(i * g.Width, g.Width);
                    var j = 0;
                    for (; j <= covered - Vector<T>.Count; j += Vector<T>.Count)
                    {
                        var equal = Vector.Equals(new Vector<T>(x[j..]), new Vector<T>(maxima[j..]));
                        Vector.ConditionalSelect(equal, new Vector<T>(gradients[j..]), Vector<T>.Zero).CopyTo(gx[j..]);
                    }
                    for (; j < covered; j++) gx[j] = x[j] == maxima[j] ? gradients[j] : T.Zero;
                    gx[covered..].Clear();
                }
            }
            target[(g.OutH * g.WsH * g.Width)..].Clear();
        }
    }
}

/// <summary><see cref="AveragePoolGrad"/>: each window's gradient, divided as the forward divided, spread over it.</summary>
internal sealed class AveragePoolGradKernel<T>(NodeSlots slots) : PoolWork<T>(slots, PoolParameters.Of(slots.Node, 2))
    where T : unmanaged, INumber<T>
{
    private readonly AveragePoolGrad op = (AveragePoolGrad)slots.Node.op;
    private readonly int[] pooled = new int[slots.Node.inputs[0].ndim];
    private NDArray? gz, gx;

    public override void Run(Frame frame)
    {
        var x = frame.Input(Slots.Inputs[0]);
        gz = Contiguous(frame.Input(Slots.Inputs[1]));
        var g = PoolGeometry.Create(x.Dims, Parameters, op.IgnoreBorder, op.Mode);
        Require(nameof(AveragePoolGrad), "output gradient", Slots.Node.inputs[1], gz, Pooled(pooled, x.Dims, g));
        gx = frame.Output(Slots.Outputs[0], x.Dims);
        RunPlanes(g);
        (gz, gx) = (null, null);
    }

    protected override void RunPlanes(int start, int end)
    {
        var g = G;
        var grad = Elements(gz!);
        var output = Writable(gx!);
        var size = g.Height * g.Width;
        var sum = g.Mode == "sum";
        output.Slice(start * size, (end - start) * size).Clear();
        for (var plane = start; plane < end; plane++)
        {
            var target = output.Slice(plane * size, size);
            for (var r = 0; r < g.OutH; r++)
            for (var c = 0; c < g.OutW; c++)
            {
                var (r0, r1, c0, c1, count) = g.Window(r, c);
                var d = grad[(plane * g.OutH + r) * g.OutW + c];
                if (!sum) d /= T.CreateChecked(count);
                for (var i = r0; i < r1; i++)
                for (var j = c0; j < c1; j++)
                    target[i * g.Width + j] += d;
            }
        }
    }
}
