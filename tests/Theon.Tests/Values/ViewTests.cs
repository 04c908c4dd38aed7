namespace Theon.Tests.Values;

public class ViewTests
{
    public static TheoryData<int?, int?, int> SliceCases()
    {
        var data = new TheoryData<int?, int?, int>();
        foreach (var c in Fixtures.Values.GetProperty("slices").EnumerateArray())
            data.Add(Bound(c[0]), Bound(c[1]), c[2].GetInt32());
        return data;
    }

    private static int? Bound(System.Text.Json.JsonElement e) =>
        e.ValueKind == System.Text.Json.JsonValueKind.Null ? null : e.GetInt32();

    [Theory]
    [MemberData(nameof(SliceCases))]
    public void SliceMatchesNumpy(int? start, int? stop, int step)
    {
        var expected = Fixtures.Values.GetProperty("slices").EnumerateArray()
            .Single(c => Bound(c[0]) == start && Bound(c[1]) == stop && c[2].GetInt32() == step)[3];
        Assert.Equal(Fixtures.Longs(expected), np.arange(10).Slice(0, start, stop, step).ToFlatArray<long>());
    }

    [Fact]
    public void ViewsShareMemory()
    {
        var a = np.zeros(3, 4);
        a[1].CopyFrom(7.0);
        a.T.Slice(0, 2, 3).CopyFrom(np.arange(3.0).reshape(1, 3));
        a.reshape(12).SetItem(5.0, -1);
        Assert.Equal(new[,] { { 0.0, 0, 0, 0 }, { 7, 7, 1, 7 }, { 0, 0, 2, 5 } }, (double[,])a.ToArray());
        var row = a[-1];
        Assert.Equal(5.0, row.GetItem<double>(3));
        Assert.Same(a.Buffer, a.T.Buffer);
        Assert.Same(a.Buffer, a.Slice(1, 1, null, 2).Buffer);
        Assert.Same(a.Buffer, a.ExpandDims(0).Squeeze().Buffer);
        Assert.Same(a.Buffer, a.BroadcastTo(2, 3, 4).Buffer);
    }

    [Fact]
    public void ReversedSlicesAreViewsWithNegativeStrides()
    {
        var a = np.arange(12.0).reshape(3, 4);
        var r = a.Slice(1, null, null, -1).Slice(0, null, null, -2);
        Assert.Same(a.Buffer, r.Buffer);
        Assert.Equal(new[] { -8, -1 }, r.Strides);
        Assert.False(r.IsContiguous);
        Assert.Equal("array([[11., 10.,  9.,  8.],\n       [ 3.,  2.,  1.,  0.]])", r.ToString());
        r[1] = np.array(new[] { -1.0, -2, -3, -4 });
        Assert.Equal(new[] { -4.0, -3, -2, -1 }, a[0].ToFlatArray<double>());
        var mirrored = r + r.Slice(1, null, null, -1);
        Assert.Equal(new[] { 19.0, 19, 19, 19, -5, -5, -5, -5 }, mirrored.ToFlatArray<double>());
        Assert.Equal(new[] { 38.0, -10 }, np.sum(r.T, axis: 0).ToFlatArray<double>());
        Assert.True(np.allclose(np.dot(r, r.T), np.dot(r.Copy(), r.Copy().T)));
        Assert.Equal(r.Copy().ToFlatArray<double>(), r.reshape(8).ToFlatArray<double>());
        var picked = Theon.Values.ArrayMath.Take(r, [np.array(new[] { 0, 1 }), np.array(new[] { 0, 0 })]);
        Assert.Equal(new[] { 11.0, -1 }, picked.ToFlatArray<double>());
        Theon.Values.ArrayMath.AddAt(r, [np.array(new[] { 0 })], 100.0);
        Assert.Equal(new[] { 108.0, 109, 110, 111 }, a[2].ToFlatArray<double>());
    }

    [Fact]
    public void IndexersReadAndWriteViews()
    {
        var a = np.zeros(2, 3);
        a[1] = new[] { 1.0, 2, 3 };
        a[0, -1] = 9;
        a[0, 0] = a[1, 2];
        Assert.Equal(new[] { 3.0, 0, 9, 1, 2, 3 }, a.ToFlatArray<double>());
        Assert.Equal(2.0, (double)a[1, 1]);
        Assert.Equal(new[] { 3 }, a[[1]].shape);
        var e = Assert.Throws<IndexOutOfRangeException>(() => a[0, 0, 0]);
        Assert.Contains("array is 2-dimensional, but 3 were indexed", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => a[0, 3]);
    }

    [Fact]
    public void ReshapeCopiesOnlyWhenNotContiguous()
    {
        var a = np.arange(6.0);
        Assert.Same(a.Buffer, a.reshape(2, -1).Buffer);
        Assert.Equal(new[] { 3, 2 }, a.reshape(-1, 2).shape);
        var t = a.reshape(2, 3).T;
        Assert.False(t.IsContiguous);
        var flat = t.reshape(6);
        Assert.NotSame(a.Buffer, flat.Buffer);
        Assert.Equal(new[] { 0.0, 3, 1, 4, 2, 5 }, flat.ToFlatArray<double>());
        var e = Assert.Throws<ArgumentException>(() => a.reshape(4, -1));
        Assert.Contains("cannot reshape array of size 6 and shape (6,) into shape (4, -1)", e.Message);
        Assert.Throws<ArgumentException>(() => a.reshape(-1, -1));
    }

    [Fact]
    public void IndexingErrorsNameAxisIndexAndSize()
    {
        var a = np.zeros(2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => a[2]);
        Assert.Equal("index 2 is out of bounds for axis 0 with size 2", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => a.GetItem<double>(0, -4));
        Assert.Equal("index -4 is out of bounds for axis 1 with size 3", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => np.array(1.0)[0]);
    }

    [Fact]
    public void BroadcastToUsesStrideZeroAndNamesBothShapes()
    {
        NDArray row = new[] { 1.0, 2, 3 };
        var b = row.BroadcastTo(4, 3);
        Assert.Equal(new[] { 0, 1 }, b.Strides);
        Assert.Equal(12, b.size);
        Assert.Equal(new[] { 1.0, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 }, b.ToFlatArray<double>());
        var e = Assert.Throws<ArgumentException>(() => np.zeros(2, 3).BroadcastTo(4, 3));
        Assert.StartsWith("cannot broadcast shape (2, 3) to (4, 3)", e.Message);
        var op = Assert.Throws<ArgumentException>(() => np.zeros(2, 3) + np.zeros(4, 3));
        Assert.Contains("(2, 3) (4, 3)", op.Message);
    }

    [Fact]
    public void TransposeExpandAndSqueeze()
    {
        var a = np.arange(24).reshape(2, 3, 4);
        var t = a.transpose(1, 2, 0);
        Assert.Equal(new[] { 3, 4, 2 }, t.shape);
        Assert.Equal(a.GetItem<long>(1, 2, 3), t.GetItem<long>(2, 3, 1));
        Assert.Equal(new[] { 4, 3, 2 }, a.T.shape);
        Assert.Equal(new[] { 2, 3, 1, 4 }, a.ExpandDims(-2).shape);
        Assert.Equal(new[] { 3 }, np.zeros(1, 3, 1).Squeeze().shape);
        Assert.Equal(new[] { 3, 1 }, np.zeros(1, 3, 1).Squeeze(0).shape);
        Assert.Throws<ArgumentException>(() => np.zeros(2, 3).Squeeze(0));
        Assert.Throws<ArgumentException>(() => a.transpose(0, 0, 1));
    }

    [Fact]
    public void ScalarConversionsFollowNumpysSizeOneRule()
    {
        Assert.Equal(2.5, (double)np.full([1, 1], 2.5));
        Assert.Equal(3, (int)np.array(3.9));
        Assert.True((bool)np.array(2L));
        Assert.Equal(7L, (long)np.array(new[] { 7 }));
        var e = Assert.Throws<InvalidCastException>(() => (double)np.zeros(2, 3));
        Assert.Contains("(2, 3)", e.Message);
    }

    [Fact]
    public void ConstructionFromScalarsAndDtypes()
    {
        Assert.Equal("float32", NDArray.Scalar(1.5f).dtype);
        Assert.Equal(0, NDArray.Scalar(1.5f).ndim);
        Assert.Equal("int8", NDArray.Scalar(300.0, DType.Int8).dtype);
        Assert.Equal(new[] { 7, 7 }, NDArray.Full(7, DType.Int16, 2).ToFlatArray<int>());
        Assert.Equal("array([[0, 0, 0]], dtype=uint8)", NDArray.Zeros(DType.UInt8, 1, 3).ToString());
        Assert.Equal(new[] { 1L, 2 }, NDArray.Wrap(new long[] { 1, 2 }, 2).ToFlatArray<long>());
        Assert.Throws<ArgumentException>(() => NDArray.Wrap(new long[] { 1, 2 }, 3));
        Assert.Throws<ArgumentException>(() => np.zeros(-1));
        Assert.Equal(new[] { 1.0, 2 }, ((NDArray)new[] { 1f, 2f }).astype("float64").ToFlatArray<double>());
    }

    [Fact]
    public void AstypeTruncatesTowardZeroAndBoolIsNonzero()
    {
        NDArray x = new[] { -1.7, -0.2, 0.0, 0.5, 2.9 };
        Assert.Equal(new[] { -1, 0, 0, 0, 2 }, x.astype("int32").ToFlatArray<int>());
        Assert.Equal(new[] { true, true, false, true, true }, x.astype(DType.Bool).ToFlatArray<bool>());
        Assert.Equal(new[] { 1.0, 0.0 }, ((NDArray)new[] { true, false }).astype("float64").ToFlatArray<double>());
        Assert.Equal(new byte[] { 255, 1 }, ((NDArray)new[] { -1, 257 }).astype("uint8").ToFlatArray<byte>());
    }

    [Fact]
    public void CopyFromBroadcastsConvertsAndHandlesOverlap()
    {
        var a = np.arange(5.0);
        a.Slice(0, 1, null).CopyFrom(a.Slice(0, null, 4));
        Assert.Equal(new[] { 0.0, 0, 1, 2, 3 }, a.ToFlatArray<double>());
        var m = NDArray.Zeros(DType.Int32, 2, 2);
        m.CopyFrom(new[] { 1.9, -2.5 });
        Assert.Equal(new[] { 1, -2, 1, -2 }, m.ToFlatArray<int>());
        var e = Assert.Throws<ArgumentException>(() => m.CopyFrom(np.zeros(3)));
        Assert.Contains("from shape (3,) into shape (2, 2)", e.Message);
    }
}
