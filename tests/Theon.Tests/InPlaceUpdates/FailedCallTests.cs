using static Theon.T;
using static Theon.Tests.InPlaceUpdates.InPlace;

namespace Theon.Tests.InPlaceUpdates;

/// <summary>
/// A call that fails changes no shared variable, also when some of its updates run in place: the writes happen only
/// after every update and output was computed and checked (an index out of range in another update, a y that does not
/// fit, an update of the wrong shape, an index the device flags). The next good call then updates as usual.
/// </summary>
public class FailedCallTests
{
    private static void Unchanged(Action call, params SharedVariable[] variables)
    {
        var before = variables.Select(Flat).ToArray();
        var error = Record.Exception(call);
        Assert.True(error is ArgumentException or IndexOutOfRangeException, $"unexpected {error}");
        for (var k = 0; k < variables.Length; k++) Assert.Equal(before[k], Flat(variables[k]));
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_index_out_of_range_in_another_update_changes_neither_variable(string backend)
    {
        var (w, v) = (shared(Matrix(5, 2), name: "W"), shared(Matrix(3, 2), name: "V"));
        var (idx, rows, g) = (lvector("idx"), lvector("rows"), dmatrix("g"));
        var f = Build(backend, [idx, rows, g], [],
            [(w, inc_subtensor(w[idx], g)), (v, inc_subtensor(v[rows], g))]);
        Assert.Equal(2, f.InPlaceUpdates.Count);
        var gValue = Matrix(2, 2, 1);

        Unchanged(() => f.Call([new long[] { 0, 4 }, new long[] { 1, 3 }, gValue]), w, v);        // 3 is past V's rows
        Unchanged(() => f.Call([new long[] { -6, 1 }, new long[] { 1, 2 }, gValue]), w, v);   // -6 before W's rows

        f.Call([new long[] { 0, 4 }, new long[] { 1, 2 }, gValue]);
        var expected = Flat(Matrix(5, 2));
        for (var c = 0; c < 2; c++) (expected[c], expected[8 + c]) = (expected[c] + 1 + c, expected[8 + c] + 101 + c);
        Assert.Equal(expected, Flat(w));
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_increment_that_does_not_fit_the_selection_changes_nothing(string backend)
    {
        var (w, v) = (shared(Matrix(4, 3), name: "W"), shared(Matrix(4, 3), name: "V"));
        var (idx, g, y) = (lvector("idx"), dmatrix("g"), dmatrix("y"));
        var f = Build(backend, [idx, g, y], [],
            [(w, inc_subtensor(w[idx], g)), (v, set_subtensor(v[slice(0, 2)], y))]);

        var error = Assert.ThrowsAny<ArgumentException>(() =>
            f.Call([new long[] { 1 }, Matrix(1, 3), Matrix(2, 2)]));   // y has 2 columns, the rows of V 3
        Assert.Contains("y", error.Message);
        Unchanged(() => f.Call([new long[] { 1, 2 }, Matrix(3, 3), Matrix(2, 3)]), w, v);   // 3 rows of g for 2 indices
        Assert.Equal(Flat(Matrix(4, 3)), Flat(w));
        Assert.Equal(Flat(Matrix(4, 3)), Flat(v));
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_ordinary_update_of_the_wrong_shape_stops_the_in_place_one(string backend)
    {
        var (w, b) = (shared(Matrix(4, 3), name: "W"), shared(np.zeros([3]), name: "b"));
        var (idx, g, x) = (lvector("idx"), dmatrix("g"), dvector("x"));
        var f = Build(backend, [idx, g, x], [], [(w, inc_subtensor(w[idx], g)), (b, x)]);

        var error = Assert.Throws<ArgumentException>(() => f.Call([new long[] { 1 }, Matrix(1, 3), np.ones([5])]));
        Assert.Contains("no shared variable was changed", error.Message);
        Assert.Equal(Flat(Matrix(4, 3)), Flat(w));
        Assert.Equal(new double[3], Flat(b));
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void An_output_indexed_out_of_range_stops_the_update(string backend)
    {
        var w = shared(Matrix(4, 3), name: "W");
        var (idx, picks, g) = (lvector("idx"), lvector("picks"), dmatrix("g"));
        // On the device the gather of the output flags the index; the call fails after the work was issued.
        var f = Build(backend, [idx, picks, g], [w[picks].sum()], [(w, inc_subtensor(w[idx], g))]);
        for (var call = 0; call < 3; call++)
            Unchanged(() => f.Call([new long[] { 1 }, new long[] { 0, 9 }, Matrix(1, 3)]), w);
        var outputs = f.Call([new long[] { 1 }, new long[] { 0, 1 }, Matrix(1, 3)]);
        Assert.Equal(Flat(Matrix(2, 3)).Sum(), (double)outputs[0]);
        var expected = Flat(Matrix(4, 3));
        for (var c = 0; c < 3; c++) expected[3 + c] += c;
        Assert.Equal(expected, Flat(w));
    }
}
