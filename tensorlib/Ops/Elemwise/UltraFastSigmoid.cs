using System.Numerics;
using Theon.Values;
using static Theon.T;

namespace Theon.Ops;

/// <summary>
/// Theano's <c>ultra_fast_sigmoid</c>: a piecewise approximation of the sigmoid through an approximate tanh of x/2
/// (absolute error under 0.028). Its gradient is that of the sigmoid at the approximate value, y (1 - y), as Theano's.
/// </summary>
public sealed record UltraFastSigmoid : FloatUnaryOp
{
    public static readonly UltraFastSigmoid Op = new();

    public override string Name => "ultra_fast_sigmoid";

    public override NDArray Perform(IReadOnlyList<NDArray> inputs)
    {
        var x = inputs[0];
        var dtype = x.DType.ToFloat();
        NDArray result = dtype == DType.Float32
            ? x.ToFlatArray<float>().Select(UltraFastSigmoidOp<float>.Invoke).ToArray()
            : x.ToFlatArray<double>().Select(UltraFastSigmoidOp<double>.Invoke).ToArray();
        return result.reshape(x.shape);
    }

    public override Variable? Grad(int i, IReadOnlyList<Variable> inputs, Variable output, Variable gz) =>
        mul(gz, output, sub(1, output));
}

/// <summary>The scalar kernel of <see cref="UltraFastSigmoid"/>, shared by the reference and the CPU loops.</summary>
internal readonly struct UltraFastSigmoidOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5), Knee = T.CreateTruncating(1.7), End = T.CreateTruncating(3.0),
        Ramp = T.CreateTruncating(1.5), Base = T.CreateTruncating(0.935409070603099),
        Slope = T.CreateTruncating(0.0458812946797165), Top = T.CreateTruncating(0.99505475368673);

    public static T Invoke(T x)
    {
        var a = T.Abs(Half * x);
        var z = a < Knee ? Ramp * a / (T.One + a) : a < End ? Base + Slope * (a - Knee) : Top;
        if (T.IsNaN(x)) return x;
        return Half * ((T.IsNegative(x) ? -z : z) + T.One);
    }
}
