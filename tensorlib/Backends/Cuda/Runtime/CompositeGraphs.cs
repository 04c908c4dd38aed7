using System.Collections.Concurrent;
using Theon.Backends.Cpu.Fusion;
using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The CPU fusion phase's <see cref="Composite"/> as a <see cref="ScalarGraph"/>: the same fused-loop IR becomes CUDA
/// C instead of SIMD C#. Each call's result is cast to the composite's dtype, as its reference Perform does.
/// </summary>
public static class CompositeGraphs
{
    private static readonly ConcurrentDictionary<Composite, ScalarGraph> Cache = new();

    public static ScalarGraph Of(Composite composite, int inputCount) => Cache.GetOrAdd(composite, c =>
    {
        var nodes = new List<ScalarNode>();
        var types = Enumerable.Repeat(c.DType, inputCount).ToList();
        var output = Add(c.Body, c.DType, inputCount, nodes, types);
        return new ScalarGraph([.. Enumerable.Repeat(c.DType, inputCount)], nodes, [output]);
    });

    private static int Add(ScalarExpr e, DType dtype, int inputCount, List<ScalarNode> nodes, List<DType> types)
    {
        switch (e)
        {
            case ScalarExpr.Input input:
                return input.Index;
            case ScalarExpr.Literal literal:
                return Append(ScalarNode.Constant(literal.Value, literal.DType), literal.DType, nodes, types);
            case ScalarExpr.Call call:
                int[] args = [.. call.Args.Select(a => Add(a, dtype, inputCount, nodes, types))];
                var resultType = call.Op.OutputDType([.. args.Select(a => types[a])]);
                var value = Append(new ScalarNode(call.Op, args), resultType, nodes, types);
                return resultType == dtype ? value : Append(new ScalarNode(new Cast(dtype), [value]), dtype, nodes,
                    types);
            default:
                throw new NotSupportedException($"no CUDA code for the scalar expression {e}.");
        }
    }

    private static int Append(ScalarNode node, DType type, List<ScalarNode> nodes, List<DType> types)
    {
        nodes.Add(node);
        types.Add(type);
        return types.Count - 1;
    }
}
