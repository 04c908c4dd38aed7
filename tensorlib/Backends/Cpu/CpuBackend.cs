using Theon.Backends.Cpu.Blas;
using Theon.Backends.Cpu.Fusion;
using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// The fast CPU backend: elementwise chains fused into generated SIMD loops, dot through the packed GEMM, a static
/// memory plan and views kept from call to call, so a steady-state call allocates nothing. Ops without an entry in
/// <see cref="Kernels"/> run their reference <see cref="Op.Perform"/>; graphs with an <see cref="IfElse"/> run on the
/// lazy reference evaluator, which computes only the branch taken.
/// </summary>
public sealed class CpuBackend : Backend
{
    public static readonly CpuBackend Instance = new();

    private static readonly IReadOnlyList<Phase> BackendPhases =
        [new GlobalPhase("blas", BlasRewrites.Run), new GlobalPhase("fuse", FusionPass.Run)];

    /// <summary>The native kernels, keyed by op type; a factory returns null where it does not handle a node.</summary>
    private static readonly Dictionary<Type, Func<NodeSlots, NodeKernel?>> Kernels = new()
    {
        [typeof(Elemwise)] = s => Elementwise(s, s.Node.op is Elemwise { Scalar: var op } && FusionPass.IsFusable(s.Node)
            ? ScalarExpr.Of(op, s.Node.inputs.Count) : null),
        [typeof(Composite)] = s => Elementwise(s, ((Composite)s.Node.op).Body),
        [typeof(FusedReduce)] = s => ((FusedReduce)s.Node.op).DType == DType.Float64 ? new FusedReduceKernel<double>(s, (FusedReduce)s.Node.op)
            : ((FusedReduce)s.Node.op).DType == DType.Float32 ? new FusedReduceKernel<float>(s, (FusedReduce)s.Node.op) : null,
        [typeof(Dot)] = Dot,
        [typeof(Dot22)] = Dot,
        [typeof(Blas.Gemm)] = Dot,
        [typeof(Reduce)] = Reduce,
        [typeof(Join)] = s => s.Node.inputs.All(v => v.type.dtype == s.Node.outputs[0].type.dtype) ? new JoinKernel(s, (Join)s.Node.op) : null,
        [typeof(DimShuffle)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Subtensor)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Reshape)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Shape)] = s => new ViewKernel(s, dependsOnShapeOnly: true),
        [typeof(Softmax)] = s => SoftmaxKernel<double>.Create(s, log: false),
        [typeof(LogSoftmax)] = s => SoftmaxKernel<double>.Create(s, log: true),
    };

    private CpuBackend()
    {
    }

    public override string Name => "cpu";

    public override IReadOnlyList<Phase> Phases => BackendPhases;

    internal override Executable Build(IReadOnlyList<Variable> outputs)
    {
        if (GraphWalk.TopoSort(outputs).Any(n => n.op is IfElse)) return new Evaluator(outputs);
        return new CpuExecutable(outputs, KernelFor);
    }

    private static NodeKernel KernelFor(NodeSlots slots) =>
        Kernels.TryGetValue(slots.Node.op.GetType(), out var make) && make(slots) is { } kernel ? kernel : new PerformKernel(slots);

    private static NodeKernel? Elementwise(NodeSlots s, ScalarExpr? body)
    {
        if (body is null) return null;
        var dtype = s.Node.outputs[0].type.dtype;
        if (s.Node.inputs.Any(v => v.type.dtype != dtype)) body = null;
        return body is null ? null
            : dtype == DType.Float64 ? new ElementwiseKernel<double>(s, body)
            : dtype == DType.Float32 ? new ElementwiseKernel<float>(s, body)
            : dtype == DType.Int64 ? new ElementwiseKernel<long>(s, body)
            : null;
    }

    private static NodeKernel? Dot(NodeSlots s)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        if (s.Node.inputs.Any(v => v.type.dtype != dtype)) return null;
        return dtype == DType.Float64 ? new DotKernel<double>(s) : dtype == DType.Float32 ? new DotKernel<float>(s) : null;
    }

    private static NodeKernel? Reduce(NodeSlots s)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        if (s.Node.inputs[0].type.dtype != dtype) return null;
        var op = (Reduce)s.Node.op;
        return dtype == DType.Float64 ? new ReduceKernel<double>(s, op) : dtype == DType.Float32 ? new ReduceKernel<float>(s, op) : null;
    }
}
