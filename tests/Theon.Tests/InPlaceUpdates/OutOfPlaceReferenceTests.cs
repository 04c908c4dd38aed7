using Theon.Ops;
using static Theon.T;
using static Theon.Tests.InPlaceUpdates.InPlace;

namespace Theon.Tests.InPlaceUpdates;

/// <summary>
/// The same training-like function compiled twice, with <c>config.inplace_updates</c> on (the updates written into the
/// variables) and off (each update computed as a new value, the path before in-place updates): fed the same calls, the
/// two keep equal variables, to the bit, on each backend. In the GlobalConfig collection: it sets a global flag.
/// </summary>
[Collection("GlobalConfig")]
public class OutOfPlaceReferenceTests
{
    private static (CompiledFunction Step, SharedVariable[] Variables) Model(string backend, bool inPlace)
    {
        var (e, w, b) = (shared(Matrix(20, 4), name: "E"), shared(Matrix(6, 4), name: "W"),
            shared(Matrix(5, 3), name: "B"));
        var (idx, g, start, row) = (lvector("idx"), dmatrix("g"), lscalar("start"), dvector("row"));
        (SharedVariable, Variable)[] updates =
        [
            (e, inc_subtensor(e[idx], -0.25 * g)),
            (w, inc_subtensor(w[slice(start, start + 2)], g[slice(0, 2)] * w[slice(0, 2)])),
            (b, set_subtensor(b[idx[0] % 5, slice(1, null)], row[slice(0, 2)])),
        ];
        config.inplace_updates = inPlace;
        try
        {
            return (Build(backend, [idx, g, start, row], [e.sum()], updates), [e, w, b]);
        }
        finally
        {
            config.inplace_updates = true;
        }
    }

    [Theory]
    [MemberData(nameof(InPlace.AllBackends), MemberType = typeof(InPlace))]
    public void In_place_and_out_of_place_updates_keep_equal_variables(string backend)
    {
        var (inPlace, variables) = Model(backend, inPlace: true);
        var (outOfPlace, reference) = Model(backend, inPlace: false);
        Assert.Equal(3, inPlace.InPlaceUpdates.Count);
        Assert.Empty(outOfPlace.InPlaceUpdates);
        Assert.Contains(outOfPlace.Schedule, n => n.op is AdvancedIncSubtensor or IncSubtensor);
        var state = np.random.RandomState(5);
        for (var call = 0; call < 6; call++)
        {
            long[] rows = [.. state.randint(-20, 20, [7]).ToFlatArray<long>()];
            object[] args = [rows, state.normal(0, 1, [7, 4]), (long)(call % 5), state.normal(0, 1, [3])];
            Assert.Equal(Flat(outOfPlace.Call(args)[0]), Flat(inPlace.Call(args)[0]));
            for (var k = 0; k < variables.Length; k++) Assert.Equal(Flat(reference[k]), Flat(variables[k]));
        }
    }
}
