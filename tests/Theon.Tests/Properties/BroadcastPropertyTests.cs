using CsCheck;
using static Theon.T;

namespace Theon.Tests.Properties;

/// <summary>Theano's broadcasting against numpy's, for random pairs of shapes and broadcastable patterns.</summary>
public class BroadcastPropertyTests
{
    /// <summary>Two shapes of ranks 0..4 that numpy broadcasts: per trailing axis, equal lengths or a 1.</summary>
    private static readonly Gen<(int[] A, int[] B)> CompatibleShapes =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[1, 4].Array[4], Gen.Int[0, 3].Array[4])
            .Select((rankA, rankB, lengths, choices) =>
            {
                var rank = Math.Max(rankA, rankB);
                var a = new int[rankA];
                var b = new int[rankB];
                for (var i = 0; i < rank; i++)
                {
                    // 0: both the length; 1: a has 1; 2: b has 1; 3: both 1
                    var (la, lb) = choices[i] switch
                    {
                        0 => (lengths[i], lengths[i]),
                        1 => (1, lengths[i]),
                        2 => (lengths[i], 1),
                        _ => (1, 1),
                    };
                    if (i - (rank - rankA) >= 0) a[i - (rank - rankA)] = la;
                    if (i - (rank - rankB) >= 0) b[i - (rank - rankB)] = lb;
                }
                return (a, b);
            });

    private static Variable TypedFor(int[] shape, string name) =>
        tensor("float64", [.. shape.Select(n => n == 1)], name);

    [Fact]
    public void OutputPatternAndShapeFollowNumpy()
    {
        CompatibleShapes.Sample(shapes =>
        {
            var (a, b) = (TypedFor(shapes.A, "a"), TypedFor(shapes.B, "b"));
            var (va, vb) = (np.ones(shapes.A), np.ones(shapes.B) * 2);
            var sum = a + b;
            var numpyShape = OpChain.NumpyBroadcast(shapes.A, shapes.B);

            var value = function([a, b], sum)(va, vb);

            Assert.Equal(numpyShape, value.shape);
            Assert.Equal(np.add(va, vb).shape, value.shape);
            Assert.Equal(numpyShape.Select(n => n == 1), sum.broadcastable);
            Assert.True(np.array_equal(np.full(numpyShape, 3.0), value));
        }, iter: 300, threads: 1, print: s => $"{NDArray.ShapeString(s.A)} + {NDArray.ShapeString(s.B)}");
    }

    [Fact]
    public void ALengthOneAxisThatIsNotBroadcastableDoesNotStretch()
    {
        CompatibleShapes.Where(s => Stretched(s.A, s.B) >= 0).Sample(shapes =>
        {
            var a = tensor("float64", new bool[shapes.A.Length], "a");
            var b = tensor("float64", new bool[shapes.B.Length], "b");
            var f = function([a, b], a * b);

            var error = Assert.Throws<ArgumentException>(() => f(np.ones(shapes.A), np.ones(shapes.B)));

            // the shapes are shown after left-padding to a common rank, as the elementwise node sees them
            var rank = Math.Max(shapes.A.Length, shapes.B.Length);
            Assert.Contains($"a of shape {NDArray.ShapeString(Padded(shapes.A, rank))}", error.Message);
            Assert.Contains($"b of shape {NDArray.ShapeString(Padded(shapes.B, rank))}", error.Message);
            Assert.Contains($"axis {Stretched(shapes.A, shapes.B)}", error.Message);
        }, iter: 100, threads: 1, print: s => $"{NDArray.ShapeString(s.A)} * {NDArray.ShapeString(s.B)}");
    }

    private static int[] Padded(int[] shape, int rank) => [.. Enumerable.Repeat(1, rank - shape.Length), .. shape];

    /// <summary>The first axis (of the longer shape) where one side's 1 would have to stretch, or -1.</summary>
    private static int Stretched(int[] a, int[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        for (var i = 0; i < rank; i++)
        {
            int? x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : null;
            int? y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : null;
            if (x is { } p && y is { } q && p != q) return i;
        }
        return -1;
    }
}
