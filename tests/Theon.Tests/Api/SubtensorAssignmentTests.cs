using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// set_subtensor and inc_subtensor with basic and advanced indices, against numpy's documented assignment
/// (<c>x[idx] = y</c>: broadcasting, the last of repeated positions wins) and <c>np.add.at</c> (repeats accumulate),
/// written here as loops over C# arrays.
/// </summary>
public class SubtensorAssignmentTests
{
    private static readonly NDArray M = np.arange(12.0).reshape(3, 4);

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void SetARowWithAScalarBroadcastsIt(string backend)
    {
        var x = dmatrix("x");
        var f = function([x], set_subtensor(x[1], constant(-1.0)), backend: backend);

        var expected = M.ToFlatArray<double>();
        for (var c = 0; c < 4; c++) expected[4 + c] = -1;
        Assert.Equal(expected, f(M).ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void IncASteppedSliceOfColumnsWithARow(string backend)
    {
        var (x, y) = (dmatrix("x"), dvector("y"));
        var f = function([x, y], inc_subtensor(x[slice(null, null), slice(1, null, 2)], y), backend: backend);

        var expected = M.ToFlatArray<double>();
        for (var r = 0; r < 3; r++)
        {
            expected[r * 4 + 1] += 10;
            expected[r * 4 + 3] += 20;
        }
        Assert.Equal(expected, f(M, new[] { 10.0, 20.0 }).ToFlatArray<double>());
    }

    [Fact]
    public void TheInputIsNotChanged()
    {
        var x = dvector("x");
        var value = np.arange(4.0);
        var result = function([x], set_subtensor(x[slice(1, 3)], constant(9.0)))(value);

        Assert.Equal(new[] { 0.0, 9, 9, 3 }, result.ToFlatArray<double>());
        Assert.Equal(new[] { 0.0, 1, 2, 3 }, value.ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void AdvancedSetKeepsTheLastOfRepeatedPositions(string backend)
    {
        var (x, i, y) = (dvector("x"), lvector("i"), dvector("y"));
        var f = function([x, i, y], set_subtensor(x[i], y), backend: backend);
        long[] index = [2, 0, 2, -1];
        double[] values = [5, 6, 7, 8];

        var expected = new double[] { 0, 1, 2, 3, 4 };
        for (var k = 0; k < index.Length; k++) expected[index[k] < 0 ? index[k] + 5 : index[k]] = values[k];
        Assert.Equal(expected, f(np.arange(5.0), index, values).ToFlatArray<double>());
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void AdvancedIncAccumulatesRepeatedPositions(string backend)
    {
        var (x, i) = (dmatrix("x"), lvector("i"));
        var f = function([x, i], inc_subtensor(x[i], constant(1.0)), backend: backend);
        long[] rows = [0, 2, 0, 0];

        var expected = M.ToFlatArray<double>();
        foreach (var r in rows) for (var c = 0; c < 4; c++) expected[r * 4 + c] += 1;
        Assert.Equal(expected, f(M, rows).ToFlatArray<double>());
    }

    [Fact]
    public void AdvancedSetOfPairsOfIndices()
    {
        var (x, r, c) = (dmatrix("x"), lvector("r"), lvector("c"));
        var f = function([x, r, c], set_subtensor(x[r, c], constant(0.0)));

        var expected = M.ToFlatArray<double>();
        expected[0 * 4 + 3] = expected[2 * 4 + 1] = 0;
        Assert.Equal(expected, f(M, new long[] { 0, 2 }, new long[] { 3, 1 }).ToFlatArray<double>());
    }

    /// <summary>On the CUDA backend (the emulated device here) an advanced inc runs the device scatter and a set runs on the host.</summary>
    [Theory]
    [InlineData("emulated")]
    [InlineData("cuda")]
    public void CudaBackendMatchesTheLoops(string backend)
    {
        var (x, i, y) = (fmatrix("x"), lvector("i"), fvector("y"));
        var f = function([x, i, y], [inc_subtensor(x[i], y), set_subtensor(x[i], y), set_subtensor(x[1], y)]);
        var run = Cuda.Backends.On(backend, f);
        long[] rows = [2, 0, 2];
        float[] values = [1, 2, 3, 4];
        var start = M.astype("float32");

        var results = run([start, rows, values]);

        var (inc, set, setRow) = (start.ToFlatArray<float>(), start.ToFlatArray<float>(), start.ToFlatArray<float>());
        foreach (var r in rows) for (var c = 0; c < 4; c++) { inc[r * 4 + c] += values[c]; set[r * 4 + c] = values[c]; }
        for (var c = 0; c < 4; c++) setRow[4 + c] = values[c];
        Assert.Equal(inc, results[0].ToFlatArray<float>());
        Assert.Equal(set, results[1].ToFlatArray<float>());
        Assert.Equal(setRow, results[2].ToFlatArray<float>());
    }

    [Fact]
    public void IntegerTensorsTakeIntegerValues()
    {
        var x = ivector("x");
        var f = function([x], inc_subtensor(x[0], constant(5)));

        Assert.Equal(new[] { 6, 2 }, f(new[] { 1, 2 }).ToFlatArray<int>());
        Assert.Equal("int32", f(new[] { 1, 2 }).dtype);
    }

    [Fact]
    public void NamesAreTheanos()
    {
        var (x, y, i) = (dmatrix("x"), dvector("y"), lvector("i"));

        Assert.Equal("IncSubtensor{Set;int64}", set_subtensor(x[1], y).owner!.op.Name);
        Assert.Equal("IncSubtensor{Inc;int64::}", inc_subtensor(x[slice(1, null)], y).owner!.op.Name);
        Assert.Equal("AdvancedIncSubtensor{set_instead=True}", set_subtensor(x[i], y).owner!.op.Name);
    }

    [Fact]
    public void GradientsOfSetAndIncWithBasicIndices()
    {
        var points = new GradientPoints(3);
        verify_grad(v => set_subtensor(v[0][slice(1, 3)], v[1] * v[1]), [points.Normal(3, 4), points.Normal(4)]);
        verify_grad(v => inc_subtensor(v[0][1], v[1]) * v[0], [points.Normal(3, 4), points.Normal(4)]);
        // a set of a scalar into a column: y's gradient sums over the part it fills
        verify_grad(v => sqr(set_subtensor(v[0][slice(null, null), 2], v[1])), [points.Normal(3, 4), points.Normal(1).reshape()]);
    }

    [Fact]
    public void GradientsOfSetAndIncWithAdvancedIndices()
    {
        var points = new GradientPoints(4);
        var rows = constant(NDArray.FromArray(new long[] { 2, 0 }));
        verify_grad(v => set_subtensor(v[0][rows], v[1]) * v[0], [points.Normal(3, 4), points.Normal(2, 4)]);
        var repeated = constant(NDArray.FromArray(new long[] { 1, 1, 2 }));
        verify_grad(v => inc_subtensor(v[0][repeated], v[1]), [points.Normal(4, 2), points.Normal(2)]);
    }

    [Fact]
    public void SetClearsTheGradientOfTheOverwrittenPart()
    {
        var x = dvector("x");
        var g = function([x], grad(set_subtensor(x[slice(0, 2)], constant(0.0)).sum(), x));

        Assert.Equal(new[] { 0.0, 0, 1, 1 }, g(np.ones(4)).ToFlatArray<double>());
    }

    [Fact]
    public void AnUpdateWithIncSubtensorChangesTheSharedVariable()
    {
        var w = shared(np.zeros(4), "w");
        var i = lvector("i");
        var f = function([i], w.sum(), updates: [(w, inc_subtensor(w[i], constant(1.0)))]);

        f(new long[] { 1, 3, 3 });
        f(new long[] { 0 });

        Assert.Equal(new[] { 1.0, 1, 0, 2 }, w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void AFailedCallChangesNoSharedVariable()
    {
        var w = shared(np.zeros(3), "w");
        var (i, y) = (lvector("i"), dvector("y"));
        var f = function([i, y], w.sum(), updates: [(w, set_subtensor(w[i], y))]);

        var error = Assert.ThrowsAny<Exception>(() => f(new long[] { 0, 5 }, new[] { 1.0, 2.0 }));
        Assert.Contains("5", error.Message);
        var wrongLength = Assert.Throws<ArgumentException>(() => f(new long[] { 0, 1 }, new[] { 1.0, 2.0, 3.0 }));
        Assert.Contains("y", wrongLength.Message);
        Assert.Contains("(3,)", wrongLength.Message);
        Assert.Equal(new[] { 0.0, 0, 0 }, w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var (x, m) = (dvector("x"), dmatrix("m"));

        var notIndexed = Assert.Throws<ArgumentException>(() => set_subtensor(x, constant(1.0)));
        Assert.Contains("x must be the result of indexing", notIndexed.Message);
        var tooManyDims = Assert.Throws<ArgumentException>(() => inc_subtensor(x[0], m));
        Assert.Contains("m", tooManyDims.Message);
        Assert.Contains("more dimensions", tooManyDims.Message);
        var lossy = Assert.Throws<ArgumentException>(() => set_subtensor(ivector("k")[0], x[0]));
        Assert.Contains("float64", lossy.Message);
        Assert.Contains("int32", lossy.Message);
    }
}
