using Theon.Compile;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>Less common shapes of a call on the CUDA backend's runtime (emulated device), each against the CPU
/// backend: shared values as outputs, integer and scalar updates, functions without outputs, conditions, empty
/// arrays.</summary>
public class DeviceEdgeTests
{
    private static (CompiledFunction Cpu, CompiledFunction Device) Both(IReadOnlyList<Variable> inputs,
        IReadOnlyList<Variable> outputs, Func<(SharedVariable, Variable)[]>? updates = null)
    {
        var cpu = T.Compile(inputs, outputs, updates?.Invoke(), null, Backend.Named("cpu"), false);
        var device = T.Compile(inputs, outputs, updates?.Invoke(), null, Backends.Emulated(), false);
        return (cpu, device);
    }

    private static void Same(NDArray[] expected, NDArray[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].shape, actual[k].shape);
            Assert.Equal(expected[k].dtype, actual[k].dtype);
            Assert.Equal(expected[k].ToFlatArray<double>(), actual[k].ToFlatArray<double>(),
                (a, b) => Math.Abs(a - b) <= 1e-12 * (1 + Math.Abs(a)));
        }
    }

    [Fact]
    public void A_shared_variable_and_its_transpose_as_outputs_while_it_is_updated()
    {
        var (wc, wd) = (shared(np.arange(6.0).reshape(2, 3), "w"), shared(np.arange(6.0).reshape(2, 3), "w"));
        var cpu = T.Compile([], [wc, wc.T], [(wc, wc * 2.0)], null, Backend.Named("cpu"), false);
        var device = T.Compile([], [wd, wd.T], [(wd, wd * 2.0)], null, Backends.Emulated(), false);

        for (var i = 0; i < 6; i++) Same(cpu.Call([]), device.Call([]));
        Same([wc.get_value()], [wd.get_value()]);
    }

    [Fact]
    public void An_integer_counter_and_a_function_without_outputs()
    {
        var (cc, cd) = (shared(NDArray.Scalar(0L, DType.Int64), "count"), shared(NDArray.Scalar(0L, DType.Int64),
            "count"));
        var cpu = T.Compile([], [], [(cc, cc + 1L)], null, Backend.Named("cpu"), false);
        var device = T.Compile([], [], [(cd, cd + 1L)], null, Backends.Emulated(), false);

        for (var i = 0; i < 7; i++)
        {
            Assert.Empty(cpu.Call([]));
            Assert.Empty(device.Call([]));
        }
        Assert.Equal(7L, (long)cd.get_value());
        Assert.Equal((long)cc.get_value(), (long)cd.get_value());
    }

    [Fact]
    public void A_condition_chooses_its_branch_on_the_device()
    {
        var (a, x) = (scalar("a"), vector("x"));
        var (cpu, device) = Both([a, x], [ifelse(a > 0.0, exp(x), -x)]);
        var values = NDArray.FromArray(new double[] { 0.5, -1 });

        foreach (var choice in new[] { 1.0, -1.0, 1.0 })
            Same(cpu.Call([NDArray.Scalar(choice), values]), device.Call([NDArray.Scalar(choice), values]));
    }

    [Fact]
    public void Empty_arrays_go_through_every_kind_of_step()
    {
        var (m, v) = (matrix("m"), vector("v"));
        var (cpu, device) = Both([m, v], [tanh(m * 2.0), sum(m, axis: 0), dot(m, v), nnet.softmax(m)]);
        object[] args = [np.zeros([0, 3], "float64"), np.zeros([3], "float64")];

        Same(cpu.Call(args), device.Call(args));
    }

    [Fact]
    public void A_minibatch_past_the_end_of_the_data_set_is_a_short_view_as_numpy_slices_it()
    {
        var data = np.arange(10.0);
        var (dc, dd) = (shared(data, "data"), shared(data, "data"));
        var i = lscalar("i");
        var cpu = T.Compile([i], [sum(dc[slice(i * 4, (i + 1) * 4)])], null, null, Backend.Named("cpu"), false);
        var device = T.Compile([i], [sum(dd[slice(i * 4, (i + 1) * 4)])], null, null, Backends.Emulated(), false);

        foreach (var k in new long[] { 0, 1, 2, 3, 2 })
            Same(cpu.Call([NDArray.Scalar(k, DType.Int64)]), device.Call([NDArray.Scalar(k, DType.Int64)]));
    }
}
