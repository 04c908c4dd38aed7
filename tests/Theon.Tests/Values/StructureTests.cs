using Theon.Values;

namespace Theon.Tests.Values;

public class StructureTests
{
    private static double[,] NaiveProduct(NDArray a, NDArray b)
    {
        var (m, k, n) = (a.shape[0], a.shape[1], b.shape[1]);
        var c = new double[m, n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        for (var p = 0; p < k; p++)
            c[i, j] += a.GetItem<double>(i, p) * b.GetItem<double>(p, j);
        return c;
    }

    [Fact]
    public void DotCoversVectorAndMatrixCombinations()
    {
        var rs = new RandomState(1);
        var a = rs.standard_normal(3, 4);
        var b = rs.standard_normal(4, 2);
        var v = rs.standard_normal(4);
        Assert.True(np.allclose(NDArray.FromArray(NaiveProduct(a, b)), np.dot(a, b), 1e-12, 1e-12));
        Assert.True(np.allclose(NDArray.FromArray(NaiveProduct(a, v.reshape(4, 1))).reshape(3), np.dot(a, v)));
        Assert.Equal(new[] { 2 }, np.dot(v, b).shape);
        var vv = np.dot(v, v);
        Assert.Equal(0, vv.ndim);
        Assert.Equal(np.sum(v * v).GetItem<double>(), vv.GetItem<double>(), 12);
        Assert.Equal(new[] { 6.0, 12 }, np.dot(np.array(2.0), np.array(new[] { 3.0, 6 })).ToFlatArray<double>());
    }

    [Fact]
    public void DotAcceptsTransposedAndSlicedViews()
    {
        var rs = new RandomState(2);
        var a = rs.standard_normal(5, 3);
        var b = rs.standard_normal(5, 4);
        var expected = NDArray.FromArray(NaiveProduct(a.T.Copy(), b));
        Assert.True(np.allclose(expected, np.dot(a.T, b)));
        Assert.True(np.allclose(NDArray.FromArray(NaiveProduct(b.T.Copy(), a)).T, np.dot(a.T, b.T.T)));
        var every2 = a.Slice(0, null, null, 2);
        var gram = NDArray.FromArray(NaiveProduct(every2.T.Copy(), every2.Copy()));
        Assert.True(np.allclose(gram, np.dot(every2.T, every2)));
        var f32 = np.dot(a.astype("float32").T, b.astype("float32"));
        Assert.Equal("float32", f32.dtype);
        Assert.True(np.allclose(expected, f32, 1e-5, 1e-5));
        Assert.Equal("float64", np.dot(a.astype("float32").T, b).dtype);
    }

    [Fact]
    public void DotOnIntegersBoolsAndHigherRanks()
    {
        NDArray a = new[,] { { 1, 2 }, { 3, 4 } };
        var p = np.dot(a, a);
        Assert.Equal("int32", p.dtype);
        Assert.Equal(new[] { 7, 10, 15, 22 }, p.ToFlatArray<int>());
        NDArray t = new[] { true, false };
        Assert.True((bool)np.dot(t, t));
        var batch = np.arange(24.0).reshape(2, 3, 4);
        var w = np.arange(8.0).reshape(4, 2);
        var r = np.dot(batch, w);
        Assert.Equal(new[] { 2, 3, 2 }, r.shape);
        Assert.Equal(np.dot(batch[1], w).ToFlatArray<double>(), r[1].ToFlatArray<double>());
        var empty = np.dot(np.zeros(0, 3).T, np.zeros(0, 2));
        Assert.Equal(new[] { 3, 2 }, empty.shape);
        Assert.Equal(new double[6], empty.ToFlatArray<double>());
        Assert.Equal(new[] { 0.0, 0, 0, 0 }, np.dot(np.zeros(2, 0), np.zeros(0, 2)).ToFlatArray<double>());
    }

    [Fact]
    public void DotShapeErrorNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => np.dot(np.zeros(2, 3), np.zeros(4, 5)));
        Assert.Equal("dot: shapes (2, 3) and (4, 5) not aligned: 3 (dim 1) != 4 (dim 0)", e.Message);
        e = Assert.Throws<ArgumentException>(() => np.dot(np.zeros(3), np.zeros(4)));
        Assert.Equal("dot: shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)", e.Message);
    }

    [Fact]
    public void ConcatenateAndStack()
    {
        var a = np.arange(6).reshape(2, 3);
        var b = np.arange(3).reshape(1, 3).astype("float32");
        var c = np.concatenate([a, b]);
        Assert.Equal(new[] { 3, 3 }, c.shape);
        Assert.Equal("float64", c.dtype);
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5, 0, 1, 2 }, c.ToFlatArray<double>());
        var side = np.concatenate([a, a.T.T], axis: -1);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }, side.ToFlatArray<long>());
        var e = Assert.Throws<ArgumentException>(() => np.concatenate([a, np.zeros(2, 2)]));
        Assert.Contains(
            "along dimension 1, the array at index 0 has size 3 and the array at index 1 has size 2", e.Message);
        var s = np.stack([np.arange(3), np.arange(3) * 10], axis: 1);
        Assert.Equal(new[] { 3, 2 }, s.shape);
        Assert.Equal(new long[] { 0, 0, 1, 10, 2, 20 }, s.ToFlatArray<long>());
        Assert.Throws<ArgumentException>(() => np.stack([np.arange(3), np.arange(4)]));
    }

    [Fact]
    public void ArangeFollowsNumpy()
    {
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, np.arange(5).ToFlatArray<long>());
        Assert.Equal("int64", np.arange(5).dtype);
        Assert.Equal(new[] { 1.0, 1.5, 2.0, 2.5 }, np.arange(1.0, 3.0, 0.5).ToFlatArray<double>());
        Assert.Equal(new long[] { 5, 3, 1 }, np.arange(5, 0, -2).ToFlatArray<long>());
        Assert.Equal(0, np.arange(3, 1).size);
        Assert.Equal("float32", ArrayMath.Arange(0, 1, 0.25, DType.Float32).dtype);
        Assert.Throws<ArgumentException>(() => np.arange(0, 5, 0));
    }

    [Fact]
    public void TakeIsAdvancedIndexing()
    {
        var a = np.arange(12).reshape(4, 3);
        var rows = ArrayMath.Take(a, [np.array(new[] { 3, 0, -1 })]);
        Assert.Equal(new[] { 3, 3 }, rows.shape);
        Assert.Equal(new long[] { 9, 10, 11, 0, 1, 2, 9, 10, 11 }, rows.ToFlatArray<long>());
        var picks = ArrayMath.Take(a, [np.arange(4), np.array(new[] { 0, 2, 1, 0 })]);
        Assert.Equal(new long[] { 0, 5, 7, 9 }, picks.ToFlatArray<long>());
        var grid = ArrayMath.Take(a, [np.array(new[,] { { 0 }, { 1 } }), np.array(new[] { 0, 2 })]);
        Assert.Equal(new[] { 2, 2 }, grid.shape);
        Assert.Equal(new long[] { 0, 2, 3, 5 }, grid.ToFlatArray<long>());
        var fromView = ArrayMath.Take(a.T, [np.array(new[] { 1 }), np.array(new[] { 0, 3 })]);
        Assert.Equal(new long[] { 1, 10 }, fromView.ToFlatArray<long>());
        var e = Assert.Throws<IndexOutOfRangeException>(() => ArrayMath.Take(a, [np.array(new[] { 4 })]));
        Assert.Equal("index 4 is out of bounds for axis 0 with size 4", e.Message);
        Assert.Throws<ArgumentException>(() => ArrayMath.Take(a, [np.array(new[] { 0.0 })]));
    }

    [Fact]
    public void AddAtAccumulatesRepeatedIndices()
    {
        var target = np.zeros(3, 2);
        ArrayMath.AddAt(target, [np.array(new[] { 0, 2, 0 })], np.array(new[,] { { 1.0, 2 }, { 3, 4 }, { 5, 6 } }));
        Assert.Equal(new[] { 6.0, 8, 0, 0, 3, 4 }, target.ToFlatArray<double>());
        var g = np.zeros(2, 3);
        ArrayMath.AddAt(g, [np.array(new[] { 1, 1, 0 }), np.array(new[] { 2, 2, 0 })], 1.0);
        Assert.Equal(new[] { 1.0, 0, 0, 0, 0, 2 }, g.ToFlatArray<double>());
        var view = np.zeros(3, 4);
        ArrayMath.AddAt(view.T, [np.array(new[] { 1, 3 })], np.array(new[] { 1.0, 2, 3 }));
        Assert.Equal(new[] { 0.0, 1, 0, 1, 0, 2, 0, 2, 0, 3, 0, 3 }, view.ToFlatArray<double>());
        var ints = NDArray.Zeros(DType.Int32, 3);
        ArrayMath.AddAt(ints, [np.array(new[] { 1, 1 })], 2.7);
        Assert.Equal(new[] { 0, 4, 0 }, ints.ToFlatArray<int>());
        Assert.Throws<ArgumentException>(() => ArrayMath.AddAt(target, [np.array(new[] { 0 })], np.zeros(3)));
    }
}
