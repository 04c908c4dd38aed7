using Theon.Ops.Random;
using static Theon.T;

namespace Theon;

/// <summary>
/// Theano's <c>shared_randomstreams.RandomStreams</c>: a factory of random variables. Each call makes a new stream,
/// a shared int64 vector (key, counter) whose <c>default_update</c> is the state after the draw, so a compiled
/// function draws new numbers on every call unless it is built with <c>no_default_updates</c>. The generator is
/// Philox4x32-10 (<see cref="Philox"/>): the numbers depend only on the seed and the order of the streams, not on
/// the backend or the number of threads. <see cref="seed"/> resets every stream.
/// </summary>
public sealed class RandomStreams
{
    private readonly List<SharedVariable> streams = [];
    private readonly List<(SharedVariable, Variable)> stateUpdates = [];
    private long currentSeed;

    public RandomStreams(long? seed = null) => currentSeed = seed ?? System.Random.Shared.NextInt64();

    /// <summary>The state variables and their updates, one pair per random variable made (Theano's
    /// <c>state_updates</c>).</summary>
    public IReadOnlyList<(SharedVariable, Variable)> state_updates => stateUpdates;

    /// <summary>The same pairs, for <c>function(..., updates: srng.updates())</c>.</summary>
    public IReadOnlyList<(SharedVariable, Variable)> updates() => [.. stateUpdates];

    /// <summary>Re-seeds every stream made so far (and the ones made later) from <paramref name="seed"/>: stream k
    /// restarts at counter 0 with a key derived from (seed, k).</summary>
    public void seed(long? seed = null)
    {
        currentSeed = seed ?? System.Random.Shared.NextInt64();
        for (var k = 0; k < streams.Count; k++) streams[k].set_value(StartState(k));
    }

    /// <summary>Uniform numbers in [low, high); dtype defaults to the upcast of floatX, low and high.</summary>
    public Variable uniform(RandomSize? size = null, Variable? low = null, Variable? high = null, int? ndim = null,
        string? dtype = null)
    {
        low ??= 0.0;
        high ??= 1.0;
        return Draw(ndim => new Uniform(FloatDType(dtype, low, high), ndim), size, ndim, low, high);
    }

    /// <summary>Normal numbers of mean avg and standard deviation std; dtype as for <see cref="uniform"/>.</summary>
    public Variable normal(RandomSize? size = null, Variable? avg = null, Variable? std = null, int? ndim = null,
        string? dtype = null)
    {
        avg ??= 0.0;
        std ??= 1.0;
        return Draw(ndim => new Normal(FloatDType(dtype, avg, std), ndim), size, ndim, avg, std);
    }

    /// <summary>Successes in n trials of probability p (n = 1: a Bernoulli mask), int64 unless dtype says.</summary>
    public Variable binomial(RandomSize? size = null, Variable? n = null, Variable? p = null, int? ndim = null,
        string dtype = "int64")
    {
        n ??= 1;
        p ??= 0.5;
        return Draw(ndim => new Binomial(DType.Parse(dtype), ndim), size, ndim, n, p);
    }

    /// <summary>numpy's <c>choice</c>: <c>prod(size)</c> picks from <c>arange(a)</c> (a an integer) or from the
    /// vector a, with probabilities p (equal when null), with or without replacement.</summary>
    public Variable choice(RandomSize? size = null, Variable? a = null, bool replace = true, Variable? p = null,
        int? ndim = null, string dtype = "int64")
    {
        a ??= 2;
        p ??= T.constant(NDArray.Zeros(DType.Parse(config.floatX), 0));
        return Draw(ndim => new Choice(DType.Parse(dtype), ndim), size ?? new long[0], ndim, a,
            T.constant(NDArray.Scalar((sbyte)(replace ? 1 : 0))), p);
    }

    /// <summary>Permutations of <c>arange(n)</c>, one per position of size, along a new last axis.</summary>
    public Variable permutation(RandomSize? size = null, Variable? n = null, int? ndim = null, string dtype = "int64")
    {
        n ??= 1;
        return Draw(ndim => new Permutation(DType.Parse(dtype), ndim), size ?? new long[0], ndim, n);
    }

    private Variable Draw(Func<int, RandomOp> op, RandomSize? size, int? ndim, params Variable[] parameters)
    {
        var (vector, axes) = Resolve(size, ndim, parameters);
        var node = op(axes).MakeNode([StartStream(), vector, .. parameters]);
        var state = (SharedVariable)node.inputs[0];
        state.default_update = node.outputs[0];
        stateUpdates.Add((state, node.outputs[0]));
        return node.outputs[1];
    }

    private SharedVariable StartStream()
    {
        var state = T.shared(StartState(streams.Count));
        streams.Add(state);
        return state;
    }

    private static (Variable Vector, int NDim) Resolve(RandomSize? size, int? ndim, Variable[] parameters)
    {
        if (size is not { } given)
        {
            // Theano's rule without a size: the shape the parameters broadcast to (a scalar when they all are).
            var tensors = parameters.Where(p => p.ndim > 0).ToArray();
            given = tensors.Length == 0 ? new long[0]
                : tensors.Length == 1 ? tensors[0].shape
                : T.shape(tensors.Skip(1).Aggregate(T.zeros_like(tensors[0]), (sum, p) => sum + T.zeros_like(p)));
        }
        if (given.Length is { } known && ndim is { } asked && known != asked)
            throw new ArgumentException($"size {given} has {known} elements, but ndim is {asked}.");
        return (given.Vector, given.Length ?? ndim ?? throw new ArgumentException(
            $"the length of size {given} is not known when the graph is built; pass ndim."));
    }

    private NDArray StartState(int stream) =>
        new StreamState(Mix(Mix((ulong)currentSeed) + (ulong)stream), 0).ToArray();

    // SplitMix64's finalizer: nearby seeds and stream numbers give unrelated keys.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static DType FloatDType(string? dtype, Variable a, Variable b)
    {
        if (dtype is not null) return DType.Parse(dtype);
        var upcast = DType.Upcast(DType.Parse(config.floatX), a.type.dtype, b.type.dtype);
        return upcast.IsFloat ? upcast : DType.Parse(config.floatX);
    }
}
