using Theon.Values;

namespace Theon.Ops;

/// <summary>
/// A product of two float matrices where either may be read transposed (Theano's <c>Dot22</c>): the rewrite of
/// <c>dot(x.T, y)</c> that hands the transposition to GEMM's flags instead of a view or a copy.
/// </summary>
public sealed record Dot22(bool TransA, bool TransB) : Op
{
    public override string Name => $"Dot22{{{Flags(TransA, TransB)}}}";

    internal static string Flags(bool a, bool b) => $"{(a ? 'T' : 'N')}{(b ? 'T' : 'N')}";

    public override Apply MakeNode(params Variable[] inputs)
    {
        var (a, b) = Check("Dot22", inputs);
        return new Apply(this, [a, b], [Product(a, b, TransA, TransB)]);
    }

    internal static (Variable A, Variable B) Check(string name, IReadOnlyList<Variable> inputs)
    {
        if (inputs.Count != 2) throw new ArgumentException(
            $"{name}: expected two matrices, got {inputs.Count} inputs.");
        var (a, b) = (inputs[0], inputs[1]);
        if (a.ndim != 2 || b.ndim != 2 || !a.type.dtype.IsFloat || a.type.dtype != b.type.dtype)
            throw new ArgumentException(
                $"{name}: expected two float matrices of one dtype, got {a.type} and {b.type}.");
        return (a, b);
    }

    internal static TensorType Product(Variable a, Variable b, bool transA, bool transB) =>
        new(a.type.dtype, [a.type.broadcastable[transA ? 1 : 0], b.type.broadcastable[transB ? 0 : 1]]);

    internal static NDArray Multiply(NDArray a, NDArray b, bool transA, bool transB) =>
        ArrayMath.Dot(transA ? a.transpose(1, 0) : a, transB ? b.transpose(1, 0) : b);

    public override NDArray[] Perform(Apply node, NDArray[] inputs) => [Multiply(inputs[0], inputs[1], TransA, TransB)];

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] s) =>
        [[s[0][TransA ? 1 : 0], s[1][TransB ? 0 : 1]]];

    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        throw new InvalidOperationException(
            "Dot22 is made by the optimizer after gradients are taken; it has no gradient.");

    public override string Pp(Apply node, IReadOnlyList<string> inputs, int output) =>
        $"({inputs[0]}{(TransA ? ".T" : "")} \\dot {inputs[1]}{(TransB ? ".T" : "")})";
}
