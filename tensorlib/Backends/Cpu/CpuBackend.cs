using Theon.Backends.Cpu.Blas;
using Theon.Backends.Cpu.Fusion;
using Theon.Compile;
using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// The fast CPU backend: elementwise chains fused into generated SIMD loops, dot through the packed GEMM, a static
/// memory plan and views kept from call to call, so a steady-state call allocates nothing. Ops without an entry in
/// <see cref="KernelFactories"/> run their reference <see cref="Op.Perform"/>; graphs with an <see cref="IfElse"/> run on the
/// lazy reference evaluator, which computes only the branch taken.
/// </summary>
public sealed class CpuBackend : Backend
{
    public static readonly CpuBackend Instance = new();

    private static readonly FusionPhase Fusion = new(LoopCode.Supports);

    private static readonly IReadOnlyList<Phase> BackendPhases =
        [new GlobalPhase("blas", BlasRewrites.Run), Fusion.Phase];

    /// <summary>The native kernels, keyed by op type; a factory returns null where it does not handle a node.</summary>
    private static readonly Dictionary<Type, Func<NodeSlots, NodeKernel?>> KernelFactories = new()
    {
        [typeof(Elemwise)] = s => s.Node.op is Elemwise { Scalar: Cast }
            ? CastKernel<double>.Create(s)
            : LoopKernelFor(s, Fusion.IsFusable(s.Node)
                ? ScalarExpr.Of(((Elemwise)s.Node.op).Scalar, s.Node.inputs.Count)
                : null),
        [typeof(Composite)] = s => LoopKernelFor(s, ((Composite)s.Node.op).Body),
        [typeof(FusedReduce)] = s => Float(s, () => new FusedReduceKernel<double>(s, (FusedReduce)s.Node.op),
            () => new FusedReduceKernel<float>(s, (FusedReduce)s.Node.op)),
        [typeof(Dot)] = Dot,
        [typeof(Dot22)] = Dot,
        [typeof(Ops.Gemm)] = Dot,
        [typeof(Reduce)] = s => s.Node.inputs[0].type.dtype == s.Node.outputs[0].type.dtype
            ? Float(s, () => new ReduceKernel<double>(s, (Reduce)s.Node.op),
                () => new ReduceKernel<float>(s, (Reduce)s.Node.op))
            : null,
        [typeof(Join)] = s => s.Node.inputs.All(v => v.type.dtype == s.Node.outputs[0].type.dtype)
            ? new JoinKernel(s, (Join)s.Node.op)
            : null,
        [typeof(DimShuffle)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Subtensor)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Reshape)] = s => new ViewKernel(s, dependsOnShapeOnly: false),
        [typeof(Shape)] = s => new ViewKernel(s, dependsOnShapeOnly: true),
        [typeof(Softmax)] = s => SoftmaxKernel<double>.Create(s, log: false),
        [typeof(LogSoftmax)] = s => SoftmaxKernel<double>.Create(s, log: true),
        [typeof(CrossentropySoftmax1Hot)] = CrossentropySoftmaxKernel<double>.Create,
        [typeof(CrossentropySoftmax1HotDx)] = CrossentropySoftmaxDxKernel<double>.Create,
        [typeof(Ops.Random.Uniform)] = Random.RandomKernel.Create,
        [typeof(Ops.Random.Binomial)] = Random.RandomKernel.Create,
        [typeof(Scan)] = s => new ScanKernel(s),
        [typeof(AbstractConv2d)] = ConvKernels.Conv2d,
        [typeof(AbstractConv2dGradInputs)] = ConvKernels.Conv2dGradInputs,
        [typeof(AbstractConv2dGradWeights)] = ConvKernels.Conv2dGradWeights,
        [typeof(Pool)] = ConvKernels.Pool,
        [typeof(MaxPoolGrad)] = ConvKernels.MaxPoolGrad,
        [typeof(AveragePoolGrad)] = ConvKernels.AveragePoolGrad,
        [typeof(MakeVector)] = MakeVectorKernel.Create,
    };

    private CpuBackend()
    {
    }

    public override string Name => "cpu";

    public override IReadOnlyList<Phase> Phases => BackendPhases;

    internal override Executable Build(IReadOnlyList<Variable> outputs, IReadOnlyList<SharedVariable> updated,
        IReadOnlyList<InPlaceUpdate>? inPlace = null)
    {
        if (GraphWalk.TopoSort(outputs).Any(n => n.op is IfElse)) return new Evaluator(outputs);
        return new CpuExecutable(outputs, KernelFor);
    }

    private static NodeKernel KernelFor(NodeSlots slots) =>
        KernelFactories.TryGetValue(slots.Node.op.GetType(), out var make) && make(slots) is { } kernel
            ? kernel
            : new PerformKernel(slots);

    /// <summary>The float64 or float32 kernel for the node's output dtype; null for other dtypes.</summary>
    private static NodeKernel? Float(NodeSlots s, Func<NodeKernel> float64, Func<NodeKernel> float32)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        return dtype == DType.Float64 ? float64() : dtype == DType.Float32 ? float32() : null;
    }

    private static NodeKernel? LoopKernelFor(NodeSlots s, ScalarExpr? body)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        if (body is null || s.Node.inputs.Any(v => v.type.dtype != dtype)) return null;
        return dtype == DType.Int64
            ? new ElementwiseKernel<long>(s, body)
            : Float(s, () => new ElementwiseKernel<double>(s, body), () => new ElementwiseKernel<float>(s, body));
    }

    private static NodeKernel? Dot(NodeSlots s) =>
        s.Node.inputs.All(v => v.type.dtype == s.Node.outputs[0].type.dtype)
            ? Float(s, () => new DotKernel<double>(s), () => new DotKernel<float>(s))
            : null;
}
