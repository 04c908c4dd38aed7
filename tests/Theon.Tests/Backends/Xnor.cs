using static Theon.T;

namespace Theon.Tests.CpuBackend;

/// <summary>The 03 walkthrough's XNOR training step, compiled for a chosen backend.</summary>
internal sealed class Xnor
{
    public Xnor(string backend, bool borrow = false, int seed = 2)
    {
        var rng = new Random(seed);
        double R() => rng.NextDouble();
        var x = matrix("x");
        W1 = shared(new[] { R(), R() }, name: "w1");
        W2 = shared(new[] { R(), R() }, name: "w2");
        W3 = shared(new[] { R(), R() }, name: "w3");
        B1 = shared(1.0, name: "b1");
        B2 = shared(1.0, name: "b2");
        var a1 = 1 / (1 + exp(-dot(x, W1) - B1));
        var a2 = 1 / (1 + exp(-dot(x, W2) - B1));
        var a3 = 1 / (1 + exp(-dot(stack([a1, a2], axis: 1), W3) - B2));
        var aHat = vector("a_hat");
        var cost = -(aHat * log(a3) + (1 - aHat) * log(1 - a3)).sum();
        var (dw1, dw2, dw3, db1, db2) = grad(cost, [W1, W2, W3, B1, B2]);
        Train = function([x, aHat], [a3, cost],
            updates: [(W1, W1 - 0.01 * dw1), (W2, W2 - 0.01 * dw2), (W3, W3 - 0.01 * dw3), (B1, B1 - 0.01 * db1), (B2,
                B2 - 0.01 * db2)],
            backend: backend, borrow: borrow);
    }

    public SharedVariable W1 { get; }
    public SharedVariable W2 { get; }
    public SharedVariable W3 { get; }
    public SharedVariable B1 { get; }
    public SharedVariable B2 { get; }
    public FunctionN Train { get; }

    public static NDArray Inputs => NDArray.FromArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
    public static NDArray Targets => NDArray.FromArray(new double[] { 1, 0, 0, 1 });

    public double[] Parameters() => [.. new[] { W1, W2, W3, B1, B2 }.SelectMany(s =>
        s.get_value().ToFlatArray<double>())];
}
