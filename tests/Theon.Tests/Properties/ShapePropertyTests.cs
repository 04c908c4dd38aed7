using CsCheck;
using static Theon.T;

namespace Theon.Tests.Properties;

/// <summary>
/// For random shapes and random chains of ops, three shapes agree: numpy's (modelled by <see cref="OpChain"/>), the
/// symbolic <c>shape(v)</c> evaluated by <c>function</c>, the ops' <see cref="Op.InferShape"/> composed over the
/// graph, and the shape of the computed value.
/// </summary>
public class ShapePropertyTests
{
    private static readonly Gen<int[]> Shapes = Gen.Int[1, 4].Array[0, 3];

    private static readonly Gen<(int Kind, int Entropy)[]> Steps =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 100_000]).Array[1, 5];

    private static OpChain Build(int[] shape, (int Kind, int Entropy)[] steps)
    {
        var chain = new OpChain(shape);
        foreach (var (kind, entropy) in steps) chain.Apply(kind, entropy);
        return chain;
    }

    [Fact]
    public void SymbolicShapeInferredShapeAndValueShapeAgree()
    {
        Gen.Select(Shapes, Steps).Sample((initial, steps) =>
        {
            var chain = Build(initial, steps);
            var v = chain.Current;
            var inputs = chain.Inputs.Select(i => i.Input).ToArray();
            var arguments = chain.Inputs.Select(i => (object)i.Value).ToArray();

            var (value, symbolic) = function(inputs, [v, shape(v)])(arguments);

            Assert.Equal(chain.Shape, value.shape);
            Assert.Equal(chain.Shape.Select(n => (long)n), symbolic.ToFlatArray<long>());
            Assert.Equal(chain.Shape.Select(n => (long)n), InferredShape(v, inputs, arguments));
            for (var axis = 0; axis < v.ndim; axis++)
            {
                if (v.type.broadcastable[axis]) Assert.Equal(1, value.shape[axis]);
            }
        }, iter: 1000, threads: 1, print: t => Build(t.Item1, t.Item2).ToString());
    }

    /// <summary>Composes each node's InferShape from the graph's inputs up, then evaluates the result.</summary>
    private static long[] InferredShape(Variable v, Variable[] inputs, object[] arguments)
    {
        var memo = new Dictionary<Variable, IReadOnlyList<Variable>>(ReferenceEqualityComparer.Instance);
        var dims = Infer(v, memo);
        if (dims.Count == 0) return [];
        // a shape known from the types alone, such as (1, 1, 1), reads no input
        return function(inputs, stack([.. dims.Select(d => cast(d, "int64"))]), on_unused_input: "ignore")(arguments)
            .ToFlatArray<long>();
    }

    private static IReadOnlyList<Variable> Infer(Variable v, Dictionary<Variable, IReadOnlyList<Variable>> memo)
    {
        if (memo.TryGetValue(v, out var known)) return known;
        var dims = v.owner is { } node
            ? node.op.InferShape(node, [.. node.inputs.Select(i => Infer(i, memo))])[v.index]
            : [.. Enumerable.Range(0, v.ndim).Select(a => v.type.broadcastable[a] ? constant(1L) : v.shape[a])];
        foreach (var d in dims)
            Assert.True(d.ndim == 0 && d.type.dtype.IsInteger, $"{v.owner?.op} inferred a dimension of type {d.type}");
        return memo[v] = dims;
    }
}
