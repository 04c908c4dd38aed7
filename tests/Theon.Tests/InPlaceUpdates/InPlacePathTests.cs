using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using static Theon.T;
using static Theon.Tests.InPlaceUpdates.InPlace;

namespace Theon.Tests.InPlaceUpdates;

/// <summary>
/// The in-place path is the one taken: the variable keeps its buffer (the host array on the CPU, the replica's device
/// memory on the CUDA backend) from call to call, and a steady call allocates nothing of W's size (the allocation
/// counters of the steady-state tests: the GC's bytes on the CPU, the device's counts on the emulated device).
/// </summary>
public class InPlacePathTests
{
    private const int Rows = 2000, Columns = 64, Touched = 16;

    private static (SharedVariable E, Variable[] Inputs, Variable Update) Embedding(bool advanced)
    {
        var e = shared(Matrix(Rows, Columns).astype("float32"), name: "E");
        var (idx, start, g) = (lvector("idx"), lscalar("start"), fmatrix("g"));
        return advanced
            ? (e, [idx, g], inc_subtensor(e[idx], -0.5f * g))
            : (e, [start, g], inc_subtensor(e[slice(start, start + Touched)], -0.5f * g));
    }

    private static object[] Arguments(bool advanced, int call) =>
    [
        advanced ? Enumerable.Range(0, Touched).Select(j => (long)((j * 97 + call * 13) % Rows)).ToArray()
            : (object)37L,   // a scalar argument is part of a CUDA graph's key: one slice, one graph
        Matrix(Touched, Columns, call).astype("float32"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_the_cpu_the_host_array_is_kept_and_a_call_allocates_far_less_than_W(bool advanced)
    {
        var (e, inputs, update) = Embedding(advanced);
        var step = Build("cpu", inputs, [], [(e, update)]);
        step.Call(Arguments(advanced, 0));
        var buffer = e.get_value(borrow: true);
        for (var call = 1; call < 4; call++) step.Call(Arguments(advanced, call));

        var argumentsOf = Enumerable.Range(4, 10).Select(c => Arguments(advanced, c)).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var args in argumentsOf) step.Call(args);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / argumentsOf.Length;

        Assert.Same(buffer, e.get_value(borrow: true));
        const long bytesOfW = (long)Rows * Columns * 4;
        Assert.True(perCall < bytesOfW / 20, $"{perCall} bytes allocated per call, W has {bytesOfW}");
    }

    [Fact]
    public void An_out_of_place_update_allocates_a_copy_of_W_each_call()
    {
        // The counter above sees a copy of W: the same update written as W plus a one-hot scatter runs out of place.
        var (e, inputs, update) = Embedding(advanced: true);
        var step = Build("cpu", inputs, [], [(e, update + 0.0f * e)]);
        Assert.Empty(step.InPlaceUpdates);
        for (var call = 0; call < 4; call++) step.Call(Arguments(true, call));
        var before = GC.GetAllocatedBytesForCurrentThread();
        step.Call(Arguments(true, 4));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= (long)Rows * Columns * 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_the_device_the_replica_is_kept_and_a_steady_call_replays_its_graph_then_writes(bool advanced)
    {
        var (e, inputs, update) = Embedding(advanced);
        var step = Build("emulated", inputs, [], [(e, update)]);
        var executable = Assert.IsType<CudaExecutable>(step.Executable);
        var expected = Flat(e);
        void Call(int c)
        {
            var args = Arguments(advanced, c);
            var g = Flat((NDArray)args[1]);
            var rows = advanced ? ((long[])args[0]).Select(r => (int)r).ToArray()
                : Enumerable.Range((int)(long)args[0], Touched).ToArray();
            for (var j = 0; j < Touched; j++)
                for (var k = 0; k < Columns; k++)
                    expected[rows[j] * Columns + k] = (float)((float)expected[rows[j] * Columns + k] + -0.5f * (float)g[j * Columns + k]);
            step.Call(args);
        }
        Call(0);
        var replica = Assert.IsType<DeviceReplica>(e.Replica);
        var pointer = replica.Array.Pointer;
        for (var c = 1; c < 4; c++) Call(c);
        var device = ((Theon.Backends.Cuda.CudaBackend)step.Backend).Device;
        var before = device.Counts;
        Call(4);
        var call = device.Counts - before;

        Assert.Same(replica, e.Replica);
        Assert.Equal(pointer, replica.Array.Pointer);
        Assert.Equal(1, executable.GraphCount);
        Assert.Equal(1, call.Replays);
        Assert.Equal(1, call.Launches);        // the write, outside the graph: the loop over the view, or the scatter
        Assert.Equal(0, call.Allocations);
        Assert.Equal(Touched * Columns * 4 + (advanced ? Touched * 8 : 0), call.BytesToDevice);
        Assert.Equal(advanced ? 8 : 0, call.BytesToHost);   // the error flag of the range check
        Assert.Equal(expected, Flat(e));
        Assert.Empty(ExecutionPlan.Fallbacks(executable.Plan));
        Assert.DoesNotContain(executable.Schedule, n => n.op is AdvancedIncSubtensor or IncSubtensor);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Alternating_batch_sizes_on_the_device_replay_their_own_graphs_and_match_the_cpu(bool advanced)
    {
        // Each change of size reallocates the kept copies of y and the indices (the pool may give an address back, and
        // with it an earlier graph's key): a replay must write through the current buffers.
        var (cpuE, cpuInputs, cpuUpdate) = Embedding(advanced);
        var (e, inputs, update) = Embedding(advanced);
        var cpu = Build("cpu", cpuInputs, [], [(cpuE, cpuUpdate)]);
        var device = Build("emulated", inputs, [], [(e, update)]);
        for (var call = 0; call < 12; call++)
        {
            var rows = call / 3 % 2 == 0 ? Touched : Touched / 4;   // three calls of each size in turn
            var g = Matrix(rows, Columns, call).astype("float32");
            object[] args = advanced
                ? [Enumerable.Range(0, rows).Select(j => (long)((j * 31 + call) % Rows)).ToArray(), g]
                : [37L, g];
            if (!advanced && rows != Touched) continue;   // the basic slice has a fixed length
            cpu.Call(args);
            device.Call(args);
            Assert.Equal(Flat(cpuE), Flat(e));
        }
        Assert.True(((CudaExecutable)device.Executable).GraphCount >= 1);
    }
}
