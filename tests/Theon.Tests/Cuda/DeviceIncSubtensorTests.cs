using Theon.Backends.Cuda.Runtime;
using Theon.Compile;
using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>
/// IncSubtensor (basic indexing: inc_subtensor / set_subtensor, the gradient of a slice) on the emulated device:
/// against a direct loop and the CPU backend, with y broadcast, symbolic bounds and negative steps; a y that does not
/// fit raises with the CPU's message.
/// </summary>
public class DeviceIncSubtensorTests
{
    private static readonly GradientPoints Points = new(41);

    private static CompiledFunction OnDevice(Variable[] inputs, Variable[] outputs)
    {
        var f = T.Compile(inputs, outputs, null, null, Backends.Emulated(), false);
        Assert.Contains(((CudaExecutable)f.Executable).Plan, s => s is PlanStep.OnDevice { Node.op: Theon.Ops.IncSubtensor });
        Assert.Empty(ExecutionPlan.Fallbacks(((CudaExecutable)f.Executable).Plan));
        return f;
    }

    [Fact]
    public void Inc_and_set_of_a_row_block_against_a_loop()
    {
        var (x, y, k) = (dmatrix("x"), dvector("y"), lscalar("k"));
        var f = OnDevice([x, y, k], [inc_subtensor(x[slice(1, k)], y), set_subtensor(x[slice(1, k)], y)]);
        var (xv, yv) = (Points.Normal(5, 3), Points.Normal(3));
        var (inc, set) = f.Call([xv, yv, 4]);
        var (xs, ys) = (xv.ToFlatArray<double>(), yv.ToFlatArray<double>());
        for (var i = 0; i < 5; i++)
        for (var j = 0; j < 3; j++)
        {
            var inside = i is >= 1 and < 4;
            Assert.Equal(xs[i * 3 + j] + (inside ? ys[j] : 0), inc.GetItem<double>(i, j), 12);
            Assert.Equal(inside ? ys[j] : xs[i * 3 + j], set.GetItem<double>(i, j), 12);
        }
    }

    [Fact]
    public void A_reversed_strided_column_and_an_integer_index_give_the_cpu_s_numbers()
    {
        var (x, y, z) = (dmatrix("x"), dvector("y"), dscalar("z"));
        Variable[] outputs = [inc_subtensor(x[slice(null, null, -2), 1], y), set_subtensor(x[2, slice(1, null)], z)];
        var cpu = T.Compile([x, y, z], outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = OnDevice([x, y, z], outputs);
        object[] args = [Points.Normal(5, 4), Points.Normal(3), 0.25];
        var (expected, actual) = (cpu.Call(args), device.Call(args));
        for (var o = 0; o < 2; o++) Assert.Equal(expected[o].ToFlatArray<double>(), actual[o].ToFlatArray<double>());
    }

    /// <summary>The gradient of a slice is an IncSubtensor into zeros; central differences on the CPU agree with
    /// the device's gradient.</summary>
    [Fact]
    public void The_gradient_of_a_slice_runs_on_the_device()
    {
        var x = dmatrix("x");
        var cost = sqr(x[slice(1, 3), slice(null, null, -1)]).sum();
        var device = OnDevice([x], [grad(cost, x)]);
        var value = Points.Normal(4, 3);
        var expected = value.ToFlatArray<double>().Select((v, i) => i / 3 is 1 or 2 ? 2 * v : 0.0);
        Assert.Equal(expected, device.Call([value])[0].ToFlatArray<double>());
    }

    [Fact]
    public void A_y_that_does_not_fit_raises_as_on_the_cpu()
    {
        var (x, y) = (dmatrix("x"), dvector("y"));
        var outputs = new[] { inc_subtensor(x[slice(0, 2)], y) };
        var cpu = T.Compile([x, y], outputs, null, null, Theon.Backends.Cpu.CpuBackend.Instance, false);
        var device = OnDevice([x, y], outputs);
        object[] args = [Points.Normal(4, 3), Points.Normal(2)];
        var expected = Assert.Throws<ArgumentException>(() => cpu.Call(args));
        var actual = Assert.Throws<ArgumentException>(() => device.Call(args));
        Assert.Equal(expected.Message, actual.Message);
    }

    /// <summary>set_subtensor at advanced indices runs on the device (no host fallback), out of place, and keeps the
    /// last of repeated indices as numpy's assignment and the CPU do.</summary>
    [Fact]
    public void Set_at_advanced_indices_with_repeats_runs_on_the_device()
    {
        var (x, idx, y) = (dmatrix("x"), lvector("idx"), dmatrix("y"));
        var set = set_subtensor(x[idx], y);
        var device = T.Compile([x, idx, y], [set], null, null, Backends.Emulated(), false);
        Assert.Contains(((CudaExecutable)device.Executable).Plan,
            s => s is PlanStep.OnDevice { Node.op: Theon.Ops.AdvancedIncSubtensor { SetInstead: true } });
        Assert.Empty(ExecutionPlan.Fallbacks(((CudaExecutable)device.Executable).Plan));
        var cpu = function([x, idx, y], set);
        var (xv, yv) = (Points.Normal(5, 3), Points.Normal(6, 3));
        var rows = NDArray.FromArray(new long[] { 4, 0, -1, 2, 0, 4 });
        Assert.Equal(cpu(xv, rows, yv).ToFlatArray<double>(), device.Call([xv, rows, yv])[0].ToFlatArray<double>());
        Assert.Equal(yv[5].ToFlatArray<double>(), device.Call([xv, rows, yv])[0][4].ToFlatArray<double>());
    }
}
