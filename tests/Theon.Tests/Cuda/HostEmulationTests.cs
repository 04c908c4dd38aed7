using System.Runtime.InteropServices;
using Theon.Backends.Cuda.Codegen;
using Theon.Backends.Cuda.Runtime;
using Theon.Ops;
using Theon.Values;

namespace Theon.Tests.Cuda;

/// <summary>
/// The generated kernels run on the CPU (<see cref="HostEmulation"/>) and agree with Theon's CPU reference.
/// </summary>
public class HostEmulationTests
{
    /// <summary>A host array pinned for the duration of a test, addressed like a device pointer.</summary>
    private sealed class Pinned : IDisposable
    {
        private readonly GCHandle handle;

        public Pinned(NDArray value)
        {
            Value = value.Copy();
            handle = GCHandle.Alloc(Value.Buffer, GCHandleType.Pinned);
        }

        public NDArray Value { get; }
        public ulong Pointer => (ulong)handle.AddrOfPinnedObject();

        public void Dispose() => handle.Free();
    }

    private static NDArray Random(DType dtype, int[] shape, int seed, double low, double high)
    {
        var random = new Random(seed);
        var size = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, size).Select(_ => low + random.NextDouble() * (high - low)).ToArray();
        if (!dtype.IsFloat) values = [.. values.Select(v => Math.Round(v))];
        return NDArray.FromArray(values).reshape(shape).astype(dtype);
    }

    private static void AssertClose(NDArray expected, NDArray actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.shape, actual.shape);
        var (e, a) = (expected.ToFlatArray<double>(), actual.ToFlatArray<double>());
        for (var i = 0; i < e.Length; i++)
        {
            var same = double.IsNaN(e[i]) ? double.IsNaN(a[i]) : Math.Abs(e[i] - a[i]) <= tolerance * (1
                + Math.Abs(e[i]));
            Assert.True(same, $"element {i}: expected {e[i]}, got {a[i]}");
        }
    }

    public static TheoryData<string, string> OpsAndDtypes()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in ScalarCodeTests.AllScalarOps())
        {
            if (op is not BitwiseOp) data.Add(op.Name, "float64");
            if (op is not (FloatUnaryOp or TrueDiv)) data.Add(op.Name, "int64");
        }
        return data;
    }

    // A [3, 4] output from a contiguous input, a broadcast row read through strides and a scalar: the three layouts.
    [Theory]
    [MemberData(nameof(OpsAndDtypes))]
    public void Every_scalar_op_in_a_fused_kernel_matches_the_reference(string name, string dtypeName)
    {
        var op = ScalarCodeTests.AllScalarOps().Single(o => o.Name == name);
        var dtype = DType.Parse(dtypeName);
        var arity = op.Arity < 0 ? 3 : op.Arity;
        int[][] shapes = [[3, 4], [1, 4], []];
        var (low, high) = dtype.IsFloat ? (0.1, 2.0) : (0.0, 3.0);
        var inputs = Enumerable.Range(0, arity).Select(i => Random(dtype, shapes[i], 17 + i, low, high)).ToArray();
        if (op is Switch) inputs[0] = Random(DType.Int64, [3, 4], 5, 0, 1).astype(DType.Bool);
        var expected = op.Perform(inputs);
        expected = expected.astype(op.OutputDType([.. inputs.Select(a => a.DType)])).BroadcastTo([3, 4]).Copy();

        DType[] types = [.. inputs.Select(a => a.DType)];
        var actual = RunElementwise(new LoopBody(ScalarExpr.Of(op, arity), new(types), op.OutputDType(types)), inputs,
            [3, 4]);

        AssertClose(expected, actual);
    }

    // 4 packs of four and a tail of 2, from a contiguous input and one value, then the same on odd addresses.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_packed_loop_and_its_tail_match_the_reference(int offset)
    {
        var device = new Theon.Backends.Cuda.Emulation.EmulatedDevice();
        HostEmulation.Require();
        var kernels = new KernelLauncher(device);
        using var transfers = new Transfers(device);
        var x = Random(DType.Float64, [18 + offset], 3, -2, 2);
        var whole = transfers.Upload(x);
        var input = whole.View([18], [1], offset);
        var scale = transfers.Upload(NDArray.Scalar(0.5, DType.Float64));
        var body = new LoopBody(ScalarExpr.Of(Mul.Op, 2), new([DType.Float64, DType.Float64]), DType.Float64);
        var before = device.Counts;

        var output = kernels.Loop(body, [input, scale], [18]);

        AssertClose(ArrayMath.Multiply(x.Slice(0, offset, null), NDArray.Scalar(0.5, DType.Float64)), transfers.Download(output));
        Assert.Equal(1, (device.Counts - before).Launches);
    }

    [Fact]
    public void A_transposed_input_is_read_through_its_strides()
    {
        var x = Random(DType.Float64, [4, 3], 1, -1, 1);
        var body = new LoopBody(ScalarExpr.Of(Tanh.Op, 1), new([DType.Float64]), DType.Float64);

        var actual = RunElementwise(body, [x], [3, 4], transposeFirst: true);

        AssertClose(ArrayMath.Tanh(x.T), actual);
    }

    [Fact]
    public void Maximum_propagates_nan_from_either_side()
    {
        var a = NDArray.FromArray(new[] { double.NaN, 1.0, 2.0, 3.0 });
        var b = NDArray.FromArray(new[] { 1.0, double.NaN, 1.0, 4.0 });
        var body = new LoopBody(ScalarExpr.Of(Maximum.Op, 2), new([DType.Float64, DType.Float64]), DType.Float64);

        AssertClose(NDArray.FromArray(new[] { double.NaN, double.NaN, 2.0, 4.0 }), RunElementwise(body, [a, b],
            [4]));
    }

    private static NDArray RunElementwise(LoopBody body, NDArray[] inputs, int[] shape,
        bool transposeFirst = false)
    {
        var layouts = inputs.Select((a, i) => a.size == 1 && a.ndim < shape.Length ? InputLayout.Scalar
            : a.shape.SequenceEqual(shape) && !(transposeFirst && i == 0) ? InputLayout.Contiguous
                : InputLayout.Strided).ToArray();
        var kernel = new LoopKernel(body, shape.Length, layouts);
        var pinned = inputs.Select(a => new Pinned(a)).ToList();
        var outputs = new[] { new Pinned(NDArray.Zeros(body.Output, shape)) };
        try
        {
            var strides = kernel.StridedInputs.Select(i => (IReadOnlyList<long>)(transposeFirst && i == 0
                ? [1L, inputs[0].shape[1]]
                : [.. inputs[i].shape.Select((d, axis) => d == 1 ? 0L
                    : DeviceArray.ContiguousStrides(inputs[i].shape)[axis])])).ToArray();
            using var arguments = new KernelArguments().Long(shape.Aggregate(1L, (a, b) => a * b))
                .Struct(kernel.LayoutArgument(shape, strides));
            foreach (var p in pinned) arguments.Pointer(p.Pointer);
            foreach (var o in outputs) arguments.Pointer(o.Pointer);
            HostEmulation.Run(kernel.Source(), kernel.Name, arguments);
            return outputs[0].Value;
        }
        finally
        {
            foreach (var p in pinned.Concat(outputs)) p.Dispose();
        }
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("prod")]
    [InlineData("max")]
    [InlineData("min")]
    [InlineData("argmax")]
    public void Reductions_along_the_middle_axis_match_the_reference(string kind)
    {
        var x = Random(DType.Float64, [2, 3, 4], 3, -2, 2);
        var kernel = new ReductionKernel(kind, DType.Float64);
        var expected = kind switch
        {
            "sum" => ArrayMath.Sum(x, [1], false),
            "prod" => ArrayMath.Prod(x, [1], false),
            "max" => ArrayMath.Max(x, [1], false),
            "min" => ArrayMath.Min(x, [1], false),
            _ => ArrayMath.Argmax(x, 1, false),
        };
        using var input = new Pinned(x);
        using var output = new Pinned(NDArray.Zeros(kernel.Output, 2, 4));
        using var arguments = new KernelArguments()
            .Pointer(input.Pointer).Pointer(output.Pointer).Long(2).Long(3).Long(4);

        HostEmulation.Run(kernel.Source(), kernel.Name, arguments);

        AssertClose(expected, output.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Softmax_and_log_softmax_rows_match_the_reference(bool log)
    {
        var x = Random(DType.Float64, [3, 5], 4, -3, 3);
        var kernels = new SoftmaxKernels(DType.Float64);
        var node = (log ? (Op)LogSoftmax.Op : Softmax.Op).MakeNode(T.matrix("x"));
        using var input = new Pinned(x);
        using var output = new Pinned(NDArray.Zeros(DType.Float64, 3, 5));
        using var arguments = new KernelArguments().Pointer(input.Pointer).Pointer(output.Pointer).Long(3).Long(5);

        HostEmulation.Run(kernels.Source(), log ? kernels.LogSoftmaxName : kernels.SoftmaxName, arguments);

        AssertClose(node.op.Perform(node, [x])[0], output.Value);
    }

    [Fact]
    public void Softmax_cross_entropy_gives_the_nll_and_flags_a_bad_label()
    {
        var x = Random(DType.Float64, [3, 4], 6, -1, 1);
        var kernels = new SoftmaxKernels(DType.Float64);
        using var input = new Pinned(x);
        using var labels = new Pinned(NDArray.FromArray(new long[] { 2, 0, 7 }));
        using var nll = new Pinned(NDArray.Zeros(DType.Float64, 3));
        using var sm = new Pinned(NDArray.Zeros(DType.Float64, 3, 4));
        using var error = new Pinned(NDArray.Zeros(DType.Int64, 1));
        using var arguments = new KernelArguments().Pointer(input.Pointer).Pointer(labels.Pointer).Pointer(nll.Pointer)
            .Pointer(sm.Pointer).Long(3).Long(4).Pointer(error.Pointer);

        HostEmulation.Run(kernels.Source(), kernels.CrossEntropyName, arguments);

        var logSoftmax = LogSoftmax.Op.Perform(LogSoftmax.Op.MakeNode(T.matrix("x")), [x])[0];
        AssertClose(NDArray.FromArray(new[] { -logSoftmax.GetItem<double>(0, 2), -logSoftmax.GetItem<double>(1, 0) }),
            NDArray.FromArray(nll.Value.ToFlatArray<double>()[..2]));
        Assert.Equal(3L, error.Value.ToFlatArray<long>()[0]);
    }

    [Fact]
    public void Gather_and_scatter_add_match_take_and_add_at_with_repeated_and_negative_indices()
    {
        var x = Random(DType.Float64, [4, 3, 2], 8, -1, 1);
        var rows = NDArray.FromArray(new long[] { 0, 3, -1, 0 });
        var columns = NDArray.FromArray(new long[] { 2, 0, 1, 2 });
        var kernels = new IndexingKernels(DType.Float64, 2);
        using var source = new Pinned(x);
        using var i0 = new Pinned(rows);
        using var i1 = new Pinned(columns);
        using var gathered = new Pinned(NDArray.Zeros(DType.Float64, 4, 2));
        using var error = new Pinned(NDArray.Zeros(DType.Int64, 1));
        using (var arguments = new KernelArguments().Pointer(source.Pointer).Pointer(i0.Pointer).Pointer(i1.Pointer)
                   .Pointer(gathered.Pointer).Long(4).Long(2).Struct([4, 3]).Pointer(error.Pointer))
            HostEmulation.Run(kernels.Source(), kernels.GatherName, arguments);

        AssertClose(ArrayMath.Take(x, [rows, columns]), gathered.Value);

        using var target = new Pinned(x);
        using (var arguments = new KernelArguments().Pointer(target.Pointer).Pointer(i0.Pointer).Pointer(i1.Pointer)
                   .Pointer(gathered.Pointer).Long(4).Long(2).Struct([4, 3]).Pointer(error.Pointer))
            HostEmulation.Run(kernels.Source(), kernels.ScatterAddName, arguments);

        var expected = x.Copy();
        ArrayMath.AddAt(expected, [rows, columns], gathered.Value);
        AssertClose(expected, target.Value);
        Assert.Equal(0L, error.Value.ToFlatArray<long>()[0]);
    }

    /// <summary>numpy's assignment at repeated indices keeps the last: the claim pass leaves each target row the last
    /// position that names it (negative indices counted from the end), the set pass writes only that one.</summary>
    [Fact]
    public void Scatter_set_keeps_the_last_of_repeated_and_negative_indices()
    {
        var x = Random(DType.Float64, [4, 3, 2], 9, -1, 1);
        var rows = NDArray.FromArray(new long[] { 0, 3, -1, 0, 1 });
        var columns = NDArray.FromArray(new long[] { 2, 0, 1, 2, 1 });
        var values = Random(DType.Float64, [5, 2], 10, -1, 1);
        var kernels = new IndexingKernels(DType.Float64, 2);
        using var target = new Pinned(x);
        using var i0 = new Pinned(rows);
        using var i1 = new Pinned(columns);
        using var written = new Pinned(values);
        using var claims = new Pinned(NDArray.Zeros(DType.Int64, 12));
        using var error = new Pinned(NDArray.Zeros(DType.Int64, 1));
        using (var arguments = new KernelArguments().Pointer(claims.Pointer).Pointer(i0.Pointer).Pointer(i1.Pointer)
                   .Long(5).Struct([4, 3]).Pointer(error.Pointer))
            HostEmulation.Run(kernels.Source(), kernels.ScatterClaimName, arguments);
        using (var arguments = new KernelArguments().Pointer(target.Pointer).Pointer(i0.Pointer).Pointer(i1.Pointer)
                   .Pointer(written.Pointer).Pointer(claims.Pointer).Long(5).Long(2).Struct([4, 3]).Pointer(error.Pointer))
            HostEmulation.Run(kernels.Source(), kernels.ScatterSetName, arguments);

        var expected = x.Copy();
        for (var j = 0; j < 5; j++)
        {
            var r = rows.GetItem<long>(j) < 0 ? rows.GetItem<long>(j) + 4 : rows.GetItem<long>(j);
            for (var k = 0; k < 2; k++)
                expected.SetItem(values.GetItem<double>(j, k), (int)r, (int)columns.GetItem<long>(j), k);
        }
        AssertClose(expected, target.Value);
        Assert.Equal(0L, error.Value.ToFlatArray<long>()[0]);
    }
}
