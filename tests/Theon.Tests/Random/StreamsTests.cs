using Theon.Compile;
using Theon.Ops.Random;
using static Theon.T;

namespace Theon.Tests.Rng;

/// <summary>RandomStreams as Theano's shared_randomstreams: default updates, no_default_updates, seed(), symbolic
/// sizes, gradients, printing, and failed calls that change nothing.</summary>
public class StreamsTests
{
    private static StreamState State(SharedVariable v) => StreamState.Read(v.get_value(), "state");

    [Fact]
    public void EachCallDrawsNewNumbersAndTheSameSeedRepeatsThem()
    {
        var f = function([], new RandomStreams(234).uniform((2, 2)));
        var g = function([], new RandomStreams(234).uniform((2, 2)));
        var (f1, f2) = (f().ToFlatArray<double>(), f().ToFlatArray<double>());
        Assert.NotEqual(f1, f2);
        Assert.Equal(f1, g().ToFlatArray<double>());
        Assert.Equal(f2, g().ToFlatArray<double>());
        Assert.NotEqual(f1, function([], new RandomStreams(235).uniform((2, 2)))().ToFlatArray<double>());
    }

    [Fact]
    public void DefaultUpdateAdvancesTheStateByTheBlocksDrawn()
    {
        var srng = new RandomStreams(1);
        var u = srng.uniform(10, dtype: "float64");
        var (state, next) = srng.state_updates.Single();
        Assert.Same(next, state.default_update);
        Assert.Same(u.owner!.outputs[0], next);
        var f = function([], u);
        var before = State(state);
        Assert.Equal(0UL, before.Counter);
        f();
        Assert.Equal(new StreamState(before.Key, 5), State(state));
        f();
        Assert.Equal(new StreamState(before.Key, 10), State(state));
    }

    [Fact]
    public void SeedResetsEveryStream()
    {
        var srng = new RandomStreams(5);
        var (u, n) = (srng.uniform(4), srng.normal(4));
        var f = function([], [u, n]);
        var first = f().Select(a => a.ToFlatArray<double>()).ToArray();
        f();
        srng.seed(5);
        var again = f().Select(a => a.ToFlatArray<double>()).ToArray();
        Assert.Equal(first[0], again[0]);
        Assert.Equal(first[1], again[1]);
        srng.seed(6);
        Assert.NotEqual(first[0], f()[0].ToFlatArray<double>());
    }

    [Fact]
    public void StreamsOfOneGeneratorDiffer()
    {
        var srng = new RandomStreams(3);
        var (a, b) = function([], [srng.uniform(8), srng.uniform(8)])();
        Assert.NotEqual(a.ToFlatArray<double>(), b.ToFlatArray<double>());
    }

    [Fact]
    public void NoDefaultUpdatesKeepsTheState()
    {
        var srng = new RandomStreams(7);
        var (u, v) = (srng.uniform(3, dtype: "float32"), srng.uniform(3, dtype: "float32"));
        var (su, sv) = (srng.state_updates[0].Item1, srng.state_updates[1].Item1);
        var fixedAll = function([], [u, v], no_default_updates: true);
        var a = fixedAll()[0].ToFlatArray<double>();
        Assert.Equal(a, fixedAll()[0].ToFlatArray<double>());
        Assert.Equal(0UL, State(su).Counter);
        var fixedU = function([], [u, v], no_default_updates: new[] { su });
        fixedU();
        Assert.Equal((0UL, 1UL), (State(su).Counter, State(sv).Counter));
        // Compiled again for another backend, a function keeps exactly its updates.
        CompiledFunction.Of(fixedAll).On(Theon.Compile.Backend.Named("reference")).Call([]);
        Assert.Equal((0UL, 1UL), (State(su).Counter, State(sv).Counter));
    }

    [Fact]
    public void DefaultUpdatesAreFoundThroughGivensAndThroughOtherDefaultUpdates()
    {
        // Theano's rebuild_collect_shared: a random variable that only a givens replacement brings in is advanced,
        // and so is a shared variable read only by another one's default update.
        var srng = new RandomStreams(11);
        var x = dvector("x");
        var noisy = srng.uniform(3, dtype: "float64");
        var f = function([], x * 2, givens: [(x, noisy)]);
        f();
        Assert.Equal(2UL, State(srng.state_updates[0].Item1).Counter);
        var (a, b) = (shared(NDArray.Scalar(0.0), "a"), shared(NDArray.Scalar(0.0), "b"));
        a.default_update = b + 1.0;
        b.default_update = b + 10.0;
        var g = function([], (Variable)a);
        g();
        Assert.Equal((1.0, 10.0), ((double)a.get_value(), (double)b.get_value()));
    }

    [Fact]
    public void AnExplicitUpdateReplacesTheDefault()
    {
        var srng = new RandomStreams(8);
        var u = srng.uniform(3);
        var state = srng.state_updates[0].Item1;
        var f = function([], u, updates: [(state, (Variable)state)]);
        var a = f().ToFlatArray<double>();
        Assert.Equal(a, f().ToFlatArray<double>());
        Assert.Equal(0UL, State(state).Counter);
    }

    [Fact]
    public void SymbolicSizeFollowsTheInput()
    {
        var x = fmatrix("x");
        var mask = new RandomStreams(9).binomial(x.shape, p: 0.5, dtype: "float32");
        Assert.Equal(2, mask.ndim);
        var f = function([x], x * mask);
        var input = NDArray.Full(2, DType.Float32, 3, 5);
        var y = f(input);
        Assert.Equal(new[] { 3, 5 }, y.shape);
        Assert.All(y.ToFlatArray<double>(), v => Assert.True(v is 0 or 2));
        var n = lscalar("n");
        var g = function([n], new RandomStreams(9).uniform(new[] { n, (Variable)2 }));
        Assert.Equal(new[] { 4, 2 }, g(4).shape);
        Assert.Throws<ArgumentException>(() => new RandomStreams(9).uniform(lvector("s")));
        Assert.Equal(3, new RandomStreams(9).uniform(lvector("s"), ndim: 3).ndim);
    }

    [Fact]
    public void WithoutASizeTheParametersGiveTheShape()
    {
        var srng = new RandomStreams(10);
        var (m, low, high) = (dvector("m"), tensor("float64", [false, true], "low"), tensor("float64", [true, false], "high"));
        var n = srng.normal(avg: m);
        Assert.Equal(1, n.ndim);
        var u = srng.uniform(low: low, high: high);
        Assert.Equal(new[] { false, false }, u.broadcastable);
        var f = function([m, low, high], [n, u]);
        var (a, b) = f(NDArray.FromArray(new[] { 1.0, 2, 3 }), NDArray.Zeros(DType.Float64, 4, 1), NDArray.Full(1, DType.Float64, 1, 5));
        Assert.Equal(new[] { 3 }, a.shape);
        Assert.Equal(new[] { 4, 5 }, b.shape);
        Assert.All(b.ToFlatArray<double>(), v => Assert.InRange(v, 0.0, 1.0));
        Assert.Equal(0, srng.uniform().ndim);
    }

    [Fact]
    public void ConstantSizesOfOneAreBroadcastable()
    {
        var v = new RandomStreams(1).uniform((1, 4));
        Assert.Equal(new[] { true, false }, v.broadcastable);
        var w = new RandomStreams(1).uniform(row("r").shape);
        Assert.Equal(new[] { true, false }, w.broadcastable);
    }

    [Fact]
    public void RandomNodesAreNotConstantFolded()
    {
        var f = function([], new RandomStreams(2).normal(3));
        Assert.Contains("RandomFunction{normal}", debugprint(f));
        Assert.NotEqual(f().ToFlatArray<double>(), f().ToFlatArray<double>());
    }

    [Fact]
    public void AFailedCallChangesNoSharedVariable()
    {
        var p = fscalar("p");
        var w = shared(NDArray.FromArray(new[] { 1.0f, 2.0f }), "w");
        var srng = new RandomStreams(4);
        var mask = srng.binomial(2, p: p, dtype: "float32");
        var f = function([p], (w * mask).sum(), updates: [(w, w + 1.0)]);
        f(0.5f);
        var (state, weights) = (srng.state_updates[0].Item1.get_value().ToFlatArray<long>(), w.get_value().ToFlatArray<double>());
        var error = Assert.Throws<ArgumentException>(() => f(1.5f));
        Assert.Contains("binomial: p p must be in [0, 1], got 1.5", error.Message);
        Assert.Equal(state, srng.state_updates[0].Item1.get_value().ToFlatArray<long>());
        Assert.Equal(weights, w.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void BadArgumentsNameTheInput()
    {
        var srng = new RandomStreams(1);
        Assert.Contains("n must be an integer", Assert.Throws<ArgumentException>(() => srng.binomial(3, n: 1.5)).Message);
        Assert.Contains("dtype must be float32 or float64, got int64",
            Assert.Throws<ArgumentException>(() => srng.uniform(3, dtype: "int64")).Message);
        Assert.Contains("has 2 elements, but ndim is 3", Assert.Throws<ArgumentException>(() => srng.normal((2, 2), ndim: 3)).Message);
        var std = dscalar("std");
        var f = function([std], srng.normal(3, std: std));
        Assert.Contains("normal: std std must be >= 0, got -1", Assert.Throws<ArgumentException>(() => f(-1.0)).Message);
        Assert.Contains("cannot take 4 elements without replacement from a population of 3",
            Assert.Throws<ArgumentException>(() => function([], srng.choice(4, a: 3, replace: false))()).Message);
        var low = dvector("low");
        var g = function([low], srng.uniform((2, 3), low: low));
        Assert.Contains("uniform: low low of shape (2,) does not broadcast to the sample's shape (2, 3)",
            Assert.Throws<ArgumentException>(() => g(NDArray.Zeros(DType.Float64, 2))).Message);
        Assert.Contains("the state", Assert.Throws<ArgumentException>(() =>
            new Uniform(DType.Float64, 1).MakeNode(dvector("s"), constant(NDArray.FromArray(new long[] { 2 })), 0.0, 1.0)).Message);
    }

    [Fact]
    public void GradPassesThroughAMaskCleanly()
    {
        var x = dmatrix("x");
        var w = shared(NDArray.Full(0.5, DType.Float64, 3, 2), "w");
        var mask = new RandomStreams(3).binomial((3, 2), p: 0.5, dtype: "float64");
        var cost = (dot(x, w * mask)).sum();
        var gw = grad(cost, w);
        var f = function([x], [gw, mask], no_default_updates: true);
        var input = NDArray.FromArray(new double[,] { { 1, 2, 3 } });
        var (g, m) = f(input);
        var expected = new double[3, 2];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 2; j++) expected[i, j] = (i + 1) * m.GetItem<double>(i, j);
        Assert.Equal(expected.Cast<double>(), g.ToFlatArray<double>());
    }

    [Fact]
    public void NoGradientReachesTheStateOrTheBinomialProbability()
    {
        var p = dscalar("p");
        var srng = new RandomStreams(3);
        var mask = srng.binomial(4, p: p, dtype: "float64");
        Assert.Throws<DisconnectedInputError>(() => grad(mask.sum(), p));
        var ignored = grad(mask.sum(), [p], disconnected_inputs: "ignore")[0];
        Assert.Equal(0.0, (double)function([p], ignored, on_unused_input: "ignore")(0.5));
        var state = srng.state_updates[0].Item1;
        Assert.Throws<DisconnectedInputError>(() => grad(mask.sum(), state));
    }

    [Fact]
    public void UniformAndNormalHaveReparameterizationGradients()
    {
        // A fixed (constant) state, so that every evaluation of verify_grad draws the same numbers.
        var state = constant(new StreamState(42, 0).ToArray());
        var size = constant(NDArray.FromArray(new long[] { 3, 4 }));
        verify_grad(p => new Uniform(DType.Float64, 2).MakeNode(state, size, p[0], p[1]).outputs[1],
            [NDArray.FromArray(new[] { -1.0, 0, 1, 2 }), NDArray.FromArray(new double[,] { { 3 }, { 4 }, { 5 } })]);
        verify_grad(p => new Normal(DType.Float64, 2).MakeNode(state, size, p[0], p[1]).outputs[1],
            [NDArray.Scalar(0.5), NDArray.FromArray(new[] { 1.0, 2, 0.5, 3 })]);
    }

    [Fact]
    public void PrintsAsTheanoPrintsRandomFunctions()
    {
        var u = new RandomStreams(1).uniform((2, 3));
        Assert.Equal("RandomFunction{uniform}(<TensorType(int64, vector)>, TensorConstant{[2 3]}, TensorConstant{0.0}, TensorConstant{1.0})",
            pp(u));
        var lines = debugprint(u).Split('\n');
        Assert.StartsWith("RandomFunction{uniform}.1 [id A]", lines[0]);
        Assert.Contains("<TensorType(int64, vector)> [id B]", lines[1]);
        Assert.Equal("RandomFunction{binomial}", new Binomial(DType.Int64, 1).Name);
        Assert.Equal("RandomFunction{choice_helper}", new Choice(DType.Int64, 1).Name);
        Assert.Equal("RandomFunction{permutation_helper}", new Permutation(DType.Int64, 1).Name);
    }

    [Fact]
    public void InferShapeGivesTheSizeAndThePermutationLength()
    {
        var x = dmatrix("x");
        var n = lscalar("n");
        var p = new RandomStreams(1).permutation(new[] { x.shape[0] }, n: n);
        var shape = function([x, n], p.shape, on_unused_input: "ignore");
        Assert.Equal(new long[] { 4, 6 }, shape(NDArray.Zeros(DType.Float64, 4, 2), 6).ToFlatArray<long>());
    }
}
