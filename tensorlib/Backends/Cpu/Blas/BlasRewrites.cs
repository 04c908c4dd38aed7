using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cpu.Blas;

/// <summary>
/// The CPU backend's "blas" phase: <c>dot</c> of a transposed matrix becomes <see cref="Dot22"/> with GEMM flags,
/// then <c>c ± k * dot(a, b)</c> with a constant k becomes one <see cref="Ops.Gemm"/> when the product has no other
/// reader.
/// </summary>
internal static class BlasRewrites
{
    public static Variable[] Run(Variable[] outputs, List<string> applied)
    {
        outputs = new GraphRewriter([new Rewrite("local_dot_to_dot22", ToDot22)], applied).Run(outputs);
        var clients = new Dictionary<Variable, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in GraphWalk.TopoSort(outputs))
        {
            foreach (var v in node.inputs) clients[v] = clients.GetValueOrDefault(v) + 1;
        }
        return new GraphRewriter([new Rewrite("local_gemm", n => ToGemm(n, clients))], applied).Run(outputs);
    }

    private static Variable? Transposed(Variable v) =>
        v.owner is { op: DimShuffle { NewOrder: [1, 0] } } shuffle ? shuffle.inputs[0] : null;

    private static Variable? ToDot22(Apply n)
    {
        if (n.op is not Dot || n.inputs[0].ndim != 2 || n.inputs[1].ndim != 2) return null;
        var (a, b) = (n.inputs[0], n.inputs[1]);
        if (!a.type.dtype.IsFloat || a.type.dtype != b.type.dtype) return null;
        var (ta, tb) = (Transposed(a), Transposed(b));
        if (ta is null && tb is null) return null;
        return new Dot22(ta is not null, tb is not null).MakeNode(ta ?? a, tb ?? b).outputs[0];
    }

    private static Variable? ToGemm(Apply n, Dictionary<Variable, int> clients)
    {
        if (n.op is not Elemwise { Scalar: Add or Sub } || n.inputs.Count != 2) return null;
        var subtract = n.op is Elemwise { Scalar: Sub };
        for (var side = 0; side < 2; side++)
        {
            if (subtract && side == 0) continue;   // k * dot - c is not a Gemm
            var (c, scaled) = (n.inputs[1 - side], n.inputs[side]);
            if (scaled.owner is not { op: Elemwise { Scalar: Mul } } mul || mul.inputs.Count != 2
                || clients.GetValueOrDefault(scaled) != 1)
                continue;
            for (var k = 0; k < 2; k++)
            {
                if (mul.inputs[k] is not Constant { ScalarValue: { } alpha } constant
                    || constant.type.broadcastable.Any(b => !b)) continue;
                var product = mul.inputs[1 - k];
                if (clients.GetValueOrDefault(product) != 1 || product.owner is not { } dot) continue;
                (bool, bool)? flags = dot.op switch
                {
                    Dot22 d => (d.TransA, d.TransB),
                    Dot when dot.inputs.All(v => v.ndim == 2) => (false, false),
                    _ => null,
                };
                if (flags is not var (transA, transB)) continue;
                if (c.type != n.outputs[0].type || product.type != c.type || c.type.broadcastable.Any(b => b)) continue;
                if (dot.inputs[0].type.dtype != c.type.dtype || dot.inputs[1].type.dtype != c.type.dtype) continue;
                return new Ops.Gemm(subtract ? -alpha : alpha, transA, transB).MakeNode(c, dot.inputs[0],
                    dot.inputs[1]).outputs[0];
            }
        }
        return null;
    }
}
