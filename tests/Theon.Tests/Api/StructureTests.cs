using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// split, tile, repeat, roll, the broadcast-pattern functions, alloc, eye, identity_like, squeeze, nonzero, mgrid and
/// ogrid against numpy (tests/fixtures/make_api_fixtures.py) and Theano's documented types.
/// </summary>
public class StructureTests : FixtureCaseTests<StructureTests>, IFixtureCases
{
    public static IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; } = new Dictionary<string, Func<Variable[], Variable>>
    {
        ["tile_2x2"] = x => tile(x[0], [2, 2]),
        ["tile_vector_to_3d"] = x => tile(x[0], [2, 1, 3]),
        ["tile_fewer_reps"] = x => tile(x[0], [3]),
        ["repeat_scalar_axis1"] = x => repeat(x[0], constant(3), axis: 1),
        ["repeat_scalar_none"] = x => repeat(x[0], constant(2)),
        ["repeat_vector_axis0"] = x => repeat(x[0], x[1], axis: 0),
        ["roll_positive"] = x => roll(x[0], constant(2)),
        ["roll_negative_axis1"] = x => roll(x[0], constant(-1), axis: 1),
        ["roll_large_none"] = x => roll(x[0], constant(8)),
        ["roll_axis0"] = x => roll(x[0], constant(1), axis: 0),
        ["split_0"] = x => split(x[0], [1, 3, 2], axis: 1)[0],
        ["split_1"] = x => split(x[0], [1, 3, 2], axis: 1)[1],
        ["split_2"] = x => split(x[0], [1, 3, 2], axis: -1)[2],
        ["nonzero_rows"] = x => nonzero(x[0])[0],
        ["nonzero_cols"] = x => nonzero(x[0])[1],
        ["nonzero_matrix"] = x => nonzero(x[0], return_matrix: true)[0],
        ["flatnonzero"] = x => flatnonzero(x[0]),
        ["nonzero_values"] = x => nonzero_values(x[0]),
        ["mgrid_0"] = _ => mgrid[slice(0, 4), slice(1, 7, 2)][0],
        ["mgrid_1"] = _ => mgrid[slice(0, 4), slice(1, 7, 2)][1],
        ["ogrid_0"] = _ => ogrid[slice(0, 4), slice(1, 7, 2)][0],
        ["ogrid_1"] = _ => ogrid[slice(0, 4), slice(1, 7, 2)][1],
        ["alloc"] = x => alloc(x[0], constant(2), constant(3)),
        ["identity_like"] = x => identity_like(x[0]),
        ["eye_k1"] = _ => eye(constant(3), constant(4), constant(1), "float64"),
    };

    public static string[] OnDevice => ["tile_2x2", "repeat_scalar_axis1", "repeat_vector_axis0", "roll_negative_axis1", "split_1", "nonzero_cols", "alloc"];

    [Fact]
    public void Gradients()
    {
        var p = new GradientPoints(41);
        verify_grad(v => tile(v[0], [2, 3]), [p.Normal(2, 3)]);
        verify_grad(v => repeat(v[0], constant(3), axis: 0), [p.Normal(2, 3)]);
        verify_grad(v => repeat(v[0], constant(2)), [p.Normal(2, 2)]);
        verify_grad(v => roll(v[0], constant(-2), axis: 1), [p.Normal(2, 5)]);
        verify_grad(v => roll(v[0], constant(3)), [p.Normal(2, 3)]);
        verify_grad(v => split(v[0], [2, 1], axis: 0)[1] * 3, [p.Normal(3, 2)]);
        verify_grad(v => split(v[0], [1, 2])[0] + split(v[0], [1, 2])[1].sum(), [p.Normal(3)]);
        verify_grad(v => alloc(v[0], constant(3), constant(2), constant(4)), [p.Normal(1, 4)]);
        verify_grad(v => squeeze(v[0]) * 2, [p.Normal(1, 3, 1)]);
        verify_grad(v => addbroadcast(v[0], 0) * v[1], [p.Normal(1, 3), p.Normal(4, 3)]);
        verify_grad(v => shape_padleft(v[0], 2) + shape_padright(v[0]).sum(), [p.Normal(3)]);
    }

    [Fact]
    public void BroadcastPatterns()
    {
        var (m, r) = (dmatrix("m"), row("r"));

        Assert.Equal([true, false], addbroadcast(m, 0).type.broadcastable);
        Assert.Equal("Rebroadcast{1}", addbroadcast(m, 0).owner!.op.Name);
        Assert.Equal([false, false], unbroadcast(r, 0).type.broadcastable);
        Assert.Equal("Rebroadcast{?,0}", unbroadcast(m, 1).owner!.op.Name);
        Assert.Equal([false, true], patternbroadcast(m, [false, true]).type.broadcastable);
        Assert.Same(m, patternbroadcast(m, [false, false]));
        Assert.Equal([true, true, false, false, true], shape_padright(shape_padleft(m, 2)).type.broadcastable);
        Assert.Equal([false, true, false], shape_padaxis(m, 1).type.broadcastable);
        Assert.Equal([false], squeeze(tensor("float64", [true, false, true], "t")).type.broadcastable);
        Assert.Equal([true, false], alloc(constant(0.0), constant(1), shape(m)[0]).type.broadcastable);
        Assert.Equal("Alloc", alloc(constant(0.0), constant(2)).owner!.op.Name);
        Assert.Equal("Eye{dtype='float32'}", eye(constant(2), dtype: "float32").owner!.op.Name);
        Assert.Equal("Split{3}", split(m, [1, 1, 1])[0].owner!.op.Name);
        Assert.Equal("RepeatOp{axis=0}", repeat(m, lvector("r"), axis: 0).owner!.op.Name);
        Assert.Equal("int64", nonzero(m)[0].type.dtype.Name);
        Assert.Equal("float32", identity_like(fmatrix("f")).type.dtype.Name);
    }

    [Fact]
    public void AddbroadcastChecksTheLengthWhenItRuns()
    {
        var m = dmatrix("m");
        var f = function([m], addbroadcast(m, 0) * 2);

        Assert.Equal(new[] { 2.0, 4.0 }, f(new[,] { { 1.0, 2.0 } }).ToFlatArray<double>());
        var error = Assert.Throws<ArgumentException>(() => f(np.ones(2, 2)));
        Assert.Contains("m", error.Message);
        Assert.Contains("length 2", error.Message);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var (m, v) = (dmatrix("m"), dvector("v"));

        var sizes = Assert.Throws<ArgumentException>(() => function([m], split(m, [1, 1], axis: 1)[0])(np.ones(2, 3)));
        Assert.Contains("sum to the length 3", sizes.Message);
        var r = lvector("r");
        var counts = Assert.Throws<ArgumentException>(() => function([m, r], repeat(m, r, axis: 0))(np.ones(2, 3), new long[] { 1 }));
        Assert.Contains("1 repeats for the 2 elements", counts.Message);
        Assert.Contains("axis 2", Assert.Throws<ArgumentException>(() => roll(m, constant(1), axis: 2)).Message);
        Assert.Contains("shift", Assert.Throws<ArgumentException>(() => roll(v, constant(1.5))).Message);
        Assert.Contains("matrix", Assert.Throws<ArgumentException>(() => identity_like(v)).Message);
        Assert.Contains("not broadcastable", Assert.Throws<ArgumentException>(() => function([v], alloc(v, constant(2), constant(3)))(np.ones(2))).Message);
        Assert.Throws<NotSupportedException>(() => grad(repeat(v, lvector("r"), axis: 0).sum(), v));
    }

    [Fact]
    public void JoinAndAsTensorVariable()
    {
        var (a, b) = (dvector("a"), dvector("b"));
        var f = function([a, b], join(0, a, b, as_tensor_variable(np.array(new[] { 9.0 }, "float64"))));

        Assert.Equal(new[] { 1.0, 2, 3, 9 }, f(new[] { 1.0 }, new[] { 2.0, 3 }).ToFlatArray<double>());
        Assert.Same(a, as_tensor_variable(a));
    }

    [Fact]
    public void CloneReplacesVariablesAndLeavesTheOriginal()
    {
        var (x, y) = (dvector("x"), dvector("y"));
        var z = exp(x) * 2;

        var replaced = clone(z, new Dictionary<Variable, Variable> { [x] = y + 1 });

        Assert.Equal("(exp(x) * TensorConstant{2})", pp(z));
        Assert.Equal("(exp((y + TensorConstant{1})) * TensorConstant{2})", pp(replaced));
        Assert.Equal(Math.Exp(3) * 2, function([y], replaced)(new[] { 2.0 }).ToFlatArray<double>()[0], 12);
        Assert.Contains("types differ", Assert.Throws<ArgumentException>(() =>
            clone(z, new Dictionary<Variable, Variable> { [x] = dmatrix("m") })).Message);
    }

    [Fact]
    public void TensorVariableMethodsAreTheFunctions()
    {
        var m = dmatrix("m");
        var f = function([m], [m.var(axis: 0), m.std(ddof: 1), m.cumsum(axis: 1), m.sort(axis: 0), m.argsort(), m.trace(),
            m.diagonal(1), m.repeat(constant(2), axis: 0), (m > 0).any(), (m > 0).all(axis: 1)]);
        var value = np.array(new[,] { { 3.0, -1, 2 }, { 0, 5, 1 } }, "float64");

        var results = f(value);

        var expected = function([m], [var(m, axis: 0), std(m, ddof: 1), cumsum(m, axis: 1), sort(m, axis: 0), argsort(m), trace(m),
            diagonal(m, 1), repeat(m, constant(2), axis: 0), any(m > 0), all(m > 0, axis: 1)])(value);
        for (var i = 0; i < results.Length; i++)
            ApiFixtures.AssertMatches($"method {i}", expected[i], results[i]);
        Assert.Equal(2, m.nonzero().Length);
        Assert.Equal(2, m.squeeze().ndim);
        Assert.Equal(1, m.flatnonzero().ndim);
        Assert.Equal(1, m.nonzero_values().ndim);
    }
}
