using Theon.Ops;
using static Theon.T;
using static Theon.Tests.InPlaceUpdates.InPlace;

namespace Theon.Tests.InPlaceUpdates;

/// <summary>
/// Updates <c>(W, inc_subtensor(W[idx], y))</c> and <c>(W, set_subtensor(W[idx], y))</c> run in place on every backend:
/// each call's new W equals the out-of-place value (the same expression as an output, computed by the op's
/// <see cref="Op.Perform"/> on a copy before the call) and the expected value written as loops over C# arrays: numpy's
/// <c>np.add.at</c> for an increment at advanced indices (repeats accumulate, as Theano's AdvancedIncSubtensor) and
/// <c>W[idx] = y</c> for a set (of repeated positions the last wins). Theano makes the same updates destructive with
/// <c>local_inplace_setsubtensor</c> and <c>local_inplace_incsubtensor1</c> (theano/tensor/opt.py), which give the op
/// <c>inplace=True</c>; the values are those of the op without it.
/// </summary>
public class InPlaceResultsTests
{
    // Runs the update three times; before each call, the same expression as an output (out of place) is the expected
    // new value, and the loops of `apply` on the previous value must agree with it.
    private static void Check(string backend, Variable[] inputs, SharedVariable w, Variable expression,
        object[] args, Action<double[]> apply)
    {
        var step = Build(backend, inputs, [], [(w, expression)]);
        var outOfPlace = Build("cpu", inputs, [expression], []);
        Assert.Single(step.InPlaceUpdates);
        Assert.DoesNotContain(step.Schedule, n => n.op is IncSubtensor or AdvancedIncSubtensor);
        for (var call = 0; call < 3; call++)
        {
            var expected = Flat(w);
            apply(expected);
            var reference = Flat(outOfPlace.Call(args)[0]);
            step.Call(args);
            Assert.Equal(reference, Flat(w));
            Assert.Equal(expected, Flat(w));
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Inc_of_a_basic_slice(string backend)
    {
        var w = shared(Matrix(6, 4), name: "W");
        var y = dmatrix("y");
        var update = inc_subtensor(w[slice(1, 4)], y);
        Check(backend, [y], w, update, [Matrix(3, 4, 0.5)], v =>
        {
            for (var r = 1; r < 4; r++)
                for (var c = 0; c < 4; c++) v[r * 4 + c] += 100.0 * (r - 1) + c + 0.5;
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Set_of_a_stepped_column_slice_with_a_broadcast_row(string backend)
    {
        var w = shared(Matrix(5, 6), name: "W");
        var y = dvector("y");
        var update = set_subtensor(w[slice(null, null), slice(1, null, 2)], y);
        Check(backend, [y], w, update, [new[] { -1.0, -2.0, -3.0 }], v =>
        {
            for (var r = 0; r < 5; r++)
                for (var k = 0; k < 3; k++) v[r * 6 + 1 + 2 * k] = -(k + 1);
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Inc_and_set_at_an_integer_index_counting_from_the_end(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var (i, y) = (lscalar("i"), dvector("y"));
        Check(backend, [i, y], w, inc_subtensor(w[i], y), [-1L, new[] { 1.0, 2.0, 3.0 }], v =>
        {
            for (var c = 0; c < 3; c++) v[9 + c] += c + 1;
        });
        Check(backend, [i, y], w, set_subtensor(w[i], y), [2L, new[] { 7.0, 8.0, 9.0 }], v =>
        {
            for (var c = 0; c < 3; c++) v[6 + c] = 7 + c;
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Inc_at_advanced_indices_accumulates_repeats(string backend)
    {
        var w = shared(Matrix(5, 3), name: "E");
        var (idx, g) = (lvector("idx"), dmatrix("g"));
        long[] rows = [1, 3, 1, -1, 1];
        var gValue = Matrix(5, 3, 0.25);
        Check(backend, [idx, g], w, inc_subtensor(w[idx], -0.5 * g), [rows, gValue], v =>
        {
            var gv = Flat(gValue);
            for (var j = 0; j < rows.Length; j++)
            {
                var r = rows[j] < 0 ? rows[j] + 5 : rows[j];
                for (var c = 0; c < 3; c++) v[r * 3 + c] += -0.5 * gv[j * 3 + c];
            }
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Set_at_advanced_indices_keeps_the_last_of_repeats(string backend)
    {
        var w = shared(Matrix(5, 3), name: "E");
        var (idx, g) = (lvector("idx"), dmatrix("g"));
        long[] rows = [4, 0, 4, 2, 0];
        var gValue = Matrix(5, 3, 0.75);
        var step = Build(backend, [idx, g], [], [(w, set_subtensor(w[idx], g))]);
        // on the device too: each position claims its row, the last one writes
        Assert.Single(step.InPlaceUpdates);
        for (var call = 0; call < 2; call++)
        {
            var expected = Flat(w);
            var gv = Flat(gValue);
            for (var j = 0; j < rows.Length; j++)
                for (var c = 0; c < 3; c++) expected[rows[j] * 3 + c] = gv[j * 3 + c];
            step.Call([rows, gValue]);
            Assert.Equal(expected, Flat(w));
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Float32_embedding_rows_with_a_float32_gradient(string backend)
    {
        var e = shared(Matrix(50, 8).astype("float32"), name: "E");
        var (idx, g) = (lvector("idx"), fmatrix("g"));
        long[] rows = [7, 7, 49, 0];
        var gValue = Matrix(4, 8, 1).astype("float32");
        Check(backend, [idx, g], e, inc_subtensor(e[idx], -0.125f * g), [rows, gValue], v =>
        {
            var gv = Flat(gValue);
            var updated = v.Select(x => (float)x).ToArray();
            for (var j = 0; j < rows.Length; j++)
                for (var c = 0; c < 8; c++) updated[rows[j] * 8 + c] += -0.125f * (float)gv[j * 8 + c];
            for (var k = 0; k < v.Length; k++) v[k] = updated[k];
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_increment_read_from_the_variable_itself_reads_the_old_rows(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var scale = dscalar("s");
        var update = inc_subtensor(w[slice(0, 3)], scale * w[slice(1, 4)]);
        Check(backend, [scale], w, update, [2.0], v =>
        {
            var old = (double[])v.Clone();
            for (var r = 0; r < 3; r++)
                for (var c = 0; c < 3; c++) v[r * 3 + c] = old[r * 3 + c] + 2 * old[(r + 1) * 3 + c];
        });
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Swapped_rows_of_two_variables_each_read_the_old_value_of_the_other(string backend)
    {
        var (a, b) = (shared(Matrix(3, 2), name: "A"), shared(Matrix(3, 2, 1000), name: "B"));
        var f = Build(backend, [], [], [(a, set_subtensor(a[0], b[0])), (b, set_subtensor(b[0], a[0]))]);
        Assert.Equal(2, f.InPlaceUpdates.Count);
        for (var call = 0; call < 3; call++)
        {
            var (oldA, oldB) = (Flat(a), Flat(b));
            f.Call([]);
            Assert.Equal([oldB[0], oldB[1], .. oldA[2..]], Flat(a));
            Assert.Equal([oldA[0], oldA[1], .. oldB[2..]], Flat(b));
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Outputs_that_read_the_variable_see_its_old_value(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var idx = lvector("idx");
        foreach (var borrow in new[] { false, true })
        {
            var f = Build(backend, [idx], [w, w[idx].sum()], [(w, inc_subtensor(w[idx], constant(1.0)))], borrow);
            var old = Flat(w);
            var outputs = f.Call([new long[] { 2, 2 }]);
            Assert.Equal(old, Flat(outputs[0]));
            Assert.Equal(2 * (old[6] + old[7] + old[8]), (double)outputs[1]);
            Assert.Equal(old[6] + 2, Flat(w)[6]);
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_in_place_update_beside_an_ordinary_one(string backend)
    {
        var (w, b) = (shared(Matrix(4, 2), name: "W"), shared(np.zeros([2]), name: "b"));
        var (idx, g) = (lvector("idx"), dmatrix("g"));
        var f = Build(backend, [idx, g], [g.sum()], [(b, b + g.sum(0)), (w, inc_subtensor(w[idx], g))]);
        Assert.Single(f.InPlaceUpdates);
        var gValue = Matrix(2, 2);
        for (var call = 1; call <= 3; call++)
        {
            f.Call([new long[] { 3, 0 }, gValue]);
            Assert.Equal([100.0 * call, 102.0 * call], Flat(b));
            var expected = Flat(Matrix(4, 2));
            for (var c = 0; c < 2; c++)
            {
                expected[6 + c] += call * c;
                expected[c] += call * (100 + c);
            }
            Assert.Equal(expected, Flat(w));
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void No_rows_to_update_changes_nothing(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var (idx, g) = (lvector("idx"), dmatrix("g"));
        var f = Build(backend, [idx, g], [], [(w, inc_subtensor(w[idx], g))]);
        for (var call = 0; call < 3; call++) f.Call([Array.Empty<long>(), np.zeros([0, 3])]);
        Assert.Equal(Flat(Matrix(4, 3)), Flat(w));
        f.Call([new long[] { 3 }, Matrix(1, 3)]);
        Assert.Equal(Flat(Matrix(4, 3))[9..].Select((v, c) => v + c), Flat(w)[9..]);
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void The_new_value_as_an_output_is_computed_beside_the_in_place_write(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var (idx, g) = (lvector("idx"), dmatrix("g"));
        var update = inc_subtensor(w[idx], g);
        var f = Build(backend, [idx, g], [update], [(w, update)]);
        Assert.Single(f.InPlaceUpdates);
        for (var call = 0; call < 3; call++)
        {
            var output = f.Call([new long[] { 1, 1 }, Matrix(2, 3)])[0];
            Assert.Equal(Flat(output), Flat(w));
        }
        var expected = Flat(Matrix(4, 3));
        for (var c = 0; c < 3; c++) expected[3 + c] += 3 * (100 + 2 * c);
        Assert.Equal(expected, Flat(w));
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void Rows_of_a_minibatch_given_from_a_shared_index_set(string backend)
    {
        var e = shared(Matrix(10, 2), name: "E");
        var rows = shared(NDArray.FromArray(new long[] { 9, 0, 9, 4, 5, 5, 1, 2 }), name: "rows");
        var (idx, i, g) = (lvector("idx"), lscalar("i"), dmatrix("g"));
        var step = T.Compile([i, g], [], [(e, inc_subtensor(e[idx], g))],
            [(idx, rows[slice(i * 4, (i + 1) * 4)])], Cuda.Backends.Named(backend), false);
        Assert.Single(step.InPlaceUpdates);
        var expected = Flat(Matrix(10, 2));
        var gValue = Matrix(4, 2, 0.5);
        for (var call = 0; call < 4; call++)
        {
            long batch = call % 2;
            step.Call([batch, gValue]);
            var gv = Flat(gValue);
            long[] picked = batch == 0 ? [9, 0, 9, 4] : [5, 5, 1, 2];
            for (var j = 0; j < 4; j++)
                for (var c = 0; c < 2; c++) expected[picked[j] * 2 + c] += gv[j * 2 + c];
            Assert.Equal(expected, Flat(e));
        }
    }
}
