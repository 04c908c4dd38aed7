
namespace Theon.Ops;

/// <summary>The scalar body of a fused loop: a tree over the loop's inputs, constants and scalar ops.</summary>
public abstract record ScalarExpr
{
    public sealed record Input(int Index) : ScalarExpr
    {
        public override string ToString() => $"i{Index}";
    }

    /// <summary>A constant of the graph, kept with its dtype so that it prints as the constant did.</summary>
    public sealed record Literal(double Value, DType DType) : ScalarExpr
    {
        public override string ToString() => $"TensorConstant{{{Constant.FormatValue(NDArray.Scalar(Value, DType))}}}";
    }

    public sealed record Call(ScalarOp Op, Seq<ScalarExpr> Args) : ScalarExpr
    {
        public override string ToString() => Op.Style.Format([.. Args.Select(a => a.ToString())]);
    }

    /// <summary>The expression of one elementwise op applied to inputs 0..arity-1.</summary>
    public static ScalarExpr Of(ScalarOp op, int arity) =>
        new Call(op, new Seq<ScalarExpr>(Enumerable.Range(0, arity).Select(i => new Input(i))));

    public int Count => this is Call c ? 1 + c.Args.Sum(a => a.Count) : 0;
}
