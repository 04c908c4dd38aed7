using System.Collections.Concurrent;
using Theon.Ops;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// What one fused elementwise kernel computes: the fusion phase's scalar expression (<see cref="Composite.Body"/>,
/// or a single <see cref="Elemwise"/> op over its inputs) with the dtype of each input and of the result. As in
/// <see cref="Composite.Perform"/>, every call's value is converted to <see cref="Output"/>.
/// </summary>
public sealed record LoopBody(ScalarExpr Expression, Seq<DType> Inputs, DType Output)
{
    private static readonly ConcurrentDictionary<(DType, DType), LoopBody> Conversions = new();

    /// <summary>The body of a node the CUDA backend runs as one kernel: a Composite, or one Elemwise op.</summary>
    public static LoopBody Of(Apply node) => node.op switch
    {
        Composite composite => new(composite.Body, new([.. node.inputs.Select(v => v.type.dtype)]),
            composite.DType),
        Elemwise elemwise => new(ScalarExpr.Of(elemwise.Scalar, node.inputs.Count),
            new([.. node.inputs.Select(v => v.type.dtype)]), node.outputs[0].type.dtype),
        _ => throw new ArgumentException($"{node.op} is not an elementwise loop."),
    };

    /// <summary>A copy (<paramref name="from"/> = <paramref name="to"/>) or a conversion, made once per pair.</summary>
    public static LoopBody Convert(DType from, DType to) => Conversions.GetOrAdd((from, to), _ => from == to
        ? new LoopBody(new ScalarExpr.Input(0), new([from]), to)
        : new LoopBody(ScalarExpr.Of(new Cast(to), 1), new([from]), to));

    /// <summary>Whether every scalar op of the body has a CUDA row.</summary>
    public bool IsSupported => Supported(Expression);

    private static bool Supported(ScalarExpr e) => e is not ScalarExpr.Call call
        || (ScalarCode.Supports(call.Op) && call.Args.All(Supported));

    public override string ToString() => $"{Expression}: ({string.Join(", ", Inputs)}) -> {Output}";
}
