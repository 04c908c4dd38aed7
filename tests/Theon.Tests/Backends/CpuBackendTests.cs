using Theon.Ops;
using Theon.Backends.Cpu;
using static Theon.T;

namespace Theon.Tests.CpuBackend;

public class CpuBackendTests
{
    [Fact]
    public void XnorTrainingMatchesTheReferenceBackend()
    {
        var (cpu, reference) = (new Xnor("cpu"), new Xnor("reference"));
        object[] args = [Xnor.Inputs, Xnor.Targets];
        for (var i = 0; i < 200; i++)
        {
            var (p1, c1) = cpu.Train(args);
            var (p2, c2) = reference.Train(args);
            Assert.Equal((double)c2, (double)c1, 1e-12);
            Assert.Equal(p2.ToFlatArray<double>(), p1.ToFlatArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
        }
        Assert.Equal(reference.Parameters(), cpu.Parameters(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void SteadyStateXnorCallAllocatesNothing()
    {
        var xnor = new Xnor("cpu", borrow: true);
        object[] args = [Xnor.Inputs, Xnor.Targets];
        for (var i = 0; i < 20; i++) xnor.Train(args);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) xnor.Train(args);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void WithoutBorrowEachCallReturnsFreshArrays()
    {
        var xnor = new Xnor("cpu");
        var (first, _) = xnor.Train(Xnor.Inputs, Xnor.Targets);
        var kept = first.ToFlatArray<double>();
        xnor.Train(Xnor.Inputs, Xnor.Targets);
        Assert.Equal(kept, first.ToFlatArray<double>());
    }

    [Fact]
    public void UpdatesAreInPlaceOnTheSharedBuffer()
    {
        var xnor = new Xnor("cpu");
        xnor.Train(Xnor.Inputs, Xnor.Targets);
        var held = xnor.W1.get_value(borrow: true);
        var before = held.ToFlatArray<double>();
        xnor.Train(Xnor.Inputs, Xnor.Targets);
        Assert.Same(held, xnor.W1.get_value(borrow: true));
        Assert.NotEqual(before, held.ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void AFailedCallChangesNoSharedVariable(string backend)
    {
        var w = shared(new[] { 1.0, 2.0, 3.0 }, name: "w");
        var v = shared(new[] { 5.0, 6.0 }, name: "v");
        var x = vector("x");
        var f = function([x], [w.sum()], updates: [(v, v * 2), (w, w + x)], backend: backend);
        f(new[] { 1.0, 1.0, 1.0 });
        Assert.Equal([2.0, 3.0, 4.0], w.get_value().ToFlatArray<double>());
        Assert.Equal([10.0, 12.0], v.get_value().ToFlatArray<double>());
        var error = Assert.Throws<ArgumentException>(() => f(new[] { 1.0, 1.0 }));
        Assert.Contains("shape", error.Message);
        Assert.Equal([2.0, 3.0, 4.0], w.get_value().ToFlatArray<double>());
        Assert.Equal([10.0, 12.0], v.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void AnUpdateOfTheWrongShapeChangesNothing()
    {
        var w = shared(new[] { 1.0, 2.0, 3.0 }, name: "w");
        var v = shared(new[] { 5.0, 6.0 }, name: "v");
        var x = vector("x");
        var f = function([x], [x.sum()], updates: [(v, v * 2), (w, x * 2)], backend: "cpu");
        var error = Assert.Throws<ArgumentException>(() => f(new[] { 1.0, 1.0 }));
        Assert.Contains("no shared variable was changed", error.Message);
        Assert.Equal([5.0, 6.0], v.get_value().ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu", false)]
    [InlineData("cpu", true)]
    [InlineData("reference", false)]
    public void AnOutputThatIsAnUpdatedVariableShowsTheOldValue(string backend, bool borrow)
    {
        var w = shared(new[] { 1.0, 2.0 }, name: "w");
        var f = function([], [w, w * 10], updates: [(w, w + 1)], backend: backend, borrow: borrow);
        for (var call = 0; call < 3; call++)
        {
            var (old, scaled) = f();
            Assert.Equal([1.0 + call, 2.0 + call], old.ToFlatArray<double>());
            Assert.Equal([10.0 * (1 + call), 10.0 * (2 + call)], scaled.ToFlatArray<double>());
        }
        Assert.Equal([4.0, 5.0], w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void SwappedUpdatesReadTheOldValues()
    {
        var a = shared(new[] { 1.0, 2.0 }, name: "a");
        var b = shared(new[] { 3.0, 4.0 }, name: "b");
        var f = function([], [a.sum()], updates: [(a, b), (b, a)], backend: "cpu");
        for (var i = 0; i < 3; i++) f();
        Assert.Equal([3.0, 4.0], a.get_value().ToFlatArray<double>());
        Assert.Equal([1.0, 2.0], b.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void ElementwiseChainsFuseIntoOneLoop()
    {
        var (a, b, c) = (matrix("a"), matrix("b"), vector("c"));
        var f = function([a, b, c], sigmoid(a * b + c), backend: "cpu");
        var compiled = CompiledFunction.Of(f);
        Assert.Contains("elemwise_fusion", compiled.RewritesApplied);
        var node = Assert.Single(compiled.Schedule, n => n.op is not Theon.Ops.DimShuffle);
        Assert.IsType<Theon.Ops.Composite>(node.op);
        var x = np.random.RandomState(0).uniform(-2, 2, [3, 5]);
        var y = np.random.RandomState(1).uniform(-2, 2, [3, 5]);
        var z = np.random.RandomState(2).uniform(-2, 2, [5]);
        var expected = function([a, b, c], sigmoid(a * b + c), backend: "reference")(x, y, z);
        Assert.Equal(expected.ToFlatArray<double>(), f(x, y, z).ToFlatArray<double>(), (p, q) =>
            Math.Abs(p - q) < 1e-14);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    public void SumsOfElementwiseLoopsFuseWithTheirProducer(int? axis)
    {
        var (a, b) = (matrix("a"), matrix("b"));
        var cost = sum(a * log(b) + (1 - a) * log(1 + b), axis: axis);
        var f = function([a, b], cost, backend: "cpu");
        Assert.Contains("reduce_fusion", CompiledFunction.Of(f).RewritesApplied);
        Assert.Single(CompiledFunction.Of(f).Schedule, n => n.op is Theon.Ops.FusedReduce);
        var x = np.random.RandomState(0).uniform(0, 1, [5, 7]);
        var y = np.random.RandomState(1).uniform(0.1, 2, [5, 7]);
        var expected = function([a, b], cost, backend: "reference")(x, y);
        Assert.Equal(expected.ToFlatArray<double>(), f(x, y).ToFlatArray<double>(), (p, q) => Math.Abs(p - q) < 1e-12);
    }

    /// <summary>
    /// A sum over a leading axis (a bias's gradient) adds whole rows at once into its float64 accumulators; each
    /// element's sum is still taken in the reference's order, so the results are equal, not merely close. Widths
    /// around the vector length, float32 and float64, and a strided (transposed) input on the scalar path.
    /// </summary>
    [Theory]
    [InlineData("float32", 37, 13, false)]
    [InlineData("float32", 5, 128, false)]
    [InlineData("float32", 3, 7, false)]
    [InlineData("float64", 9, 11, false)]
    [InlineData("float32", 6, 10, true)]
    public void SumOverTheLeadingAxisEqualsTheReference(string dtype, int rows, int columns, bool transposed)
    {
        var a = tensor(dtype, [false, false], "a");
        var cost = sum(transposed ? a.T : a, axis: 0);
        var f = function([a], cost, backend: "cpu");
        Assert.Contains(CompiledFunction.Of(f).Schedule, n => n.op is Theon.Ops.Reduce);
        var x = np.random.RandomState(3).uniform(-1e3, 1e3, transposed ? [columns, rows] : [rows, columns]).astype(dtype);
        var expected = function([a], cost, backend: "reference")(x);
        Assert.Equal(expected.astype("float64").ToFlatArray<double>(), f(x).astype("float64").ToFlatArray<double>());
    }

    [Fact]
    public void DeadInputsLendTheirBuffersToElementwiseOutputs()
    {
        var (a, b) = (matrix("a"), matrix("b"));
        var h = tanh(dot(a, b));
        var f = function([a, b], exp(h) + tanh(h) * 2, backend: "cpu");
        var executable = Assert.IsType<CpuExecutable>(typeof(CompiledFunction)
            .GetField("executable", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(CompiledFunction.Of(f)));
        Assert.True(executable.StorageGroups < CompiledFunction.Of(f).Schedule.Count);
        var x = np.random.RandomState(0).uniform(-1, 1, [4, 3]);
        var y = np.random.RandomState(1).uniform(-1, 1, [3, 5]);
        var expected = function([a, b], exp(h) + tanh(h) * 2, backend: "reference")(x, y);
        Assert.Equal(expected.ToFlatArray<double>(), f(x, y).ToFlatArray<double>(), (p, q) => Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void TransposedOperandsOfDotMatchTheReference()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var xs = np.random.RandomState(3).uniform(-1, 1, [7, 5]);
        var ys = np.random.RandomState(4).uniform(-1, 1, [7, 6]);
        var expected = function([x, y], dot(x.T, y), backend: "reference")(xs, ys);
        var actual = function([x, y], dot(x.T, y), backend: "cpu")(xs, ys);
        Assert.Equal(expected.ToFlatArray<double>(), actual.ToFlatArray<double>(), (p, q) => Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void TransposedProductsBecomeGemmFlags()
    {
        var (x, y) = (matrix("x"), matrix("y"));
        var f = function([x, y], dot(x, y.T), backend: "cpu");
        var node = Assert.Single(CompiledFunction.Of(f).Schedule);
        Assert.Equal(new Dot22(false, true), node.op);
        var xs = np.random.RandomState(3).uniform(-1, 1, [4, 6]);
        var ys = np.random.RandomState(4).uniform(-1, 1, [5, 6]);
        var expected = function([x, y], dot(x, y.T), backend: "reference")(xs, ys);
        Assert.Equal(expected.ToFlatArray<double>(), f(xs, ys).ToFlatArray<double>(), (p, q) =>
            Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void SgdUpdatesOfAProductBecomeOneGemm()
    {
        var w = shared(np.random.RandomState(6).uniform(-1, 1, [5, 3]), name: "w");
        var reference = shared(w.get_value(), name: "w_ref");
        var (x, g) = (matrix("x"), matrix("g"));
        var step = function([x, g], [], updates: [(w, w - 0.1 * dot(x.T, g))], backend: "cpu");
        var referenceStep = function([x, g], [], updates: [(reference, reference - 0.1 * dot(x.T, g))],
            backend: "reference");
        var gemm = Assert.Single(CompiledFunction.Of(step).Schedule, n => n.op is Theon.Ops.Gemm);
        Assert.Equal(new Theon.Ops.Gemm(-0.1, true, false), gemm.op);
        var xs = np.random.RandomState(7).uniform(-1, 1, [8, 5]);
        var gs = np.random.RandomState(8).uniform(-1, 1, [8, 3]);
        for (var i = 0; i < 3; i++)
        {
            step(xs, gs);
            referenceStep(xs, gs);
        }
        Assert.Equal(reference.get_value().ToFlatArray<double>(), w.get_value().ToFlatArray<double>(), (p, q) =>
            Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void ShapeErrorsNameTheShapes()
    {
        var (a, b) = (matrix("a"), matrix("b"));
        var f = function([a, b], a + b, backend: "cpu");
        var error = Assert.Throws<ArgumentException>(() => f(np.ones([2, 3]), np.ones([3, 2])));
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(3, 2)", error.Message);
    }

    [Fact]
    public void BackendNamesAreChecked()
    {
        var x = scalar("x");
        var error = Assert.Throws<ArgumentException>(() => function([x], x * 2, backend: "gpu"));
        Assert.Equal("backend: expected \"cpu\", \"reference\" or \"cuda\", got \"gpu\".", error.Message);
        var setting = Assert.Throws<ArgumentException>(() => config.backend = "gpu");
        Assert.Equal(error.Message, setting.Message);
        Assert.Equal(["cpu", "reference", "cuda"], Theon.Compile.Backend.Names);
        Assert.Throws<ArgumentException>(() => config.num_threads = 0);
        Assert.Equal("cpu", CompiledFunction.Of(function([x], x * 2, backend: "cpu")).Backend.Name);
    }
}
