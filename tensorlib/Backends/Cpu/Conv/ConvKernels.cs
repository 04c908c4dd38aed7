using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>The CPU backend's factories for the convolution and pooling ops (float32 and float64; others run Perform).</summary>
internal static class ConvKernels
{
    public static NodeKernel? Conv2d(NodeSlots s) =>
        Float(s, () => new Conv2dKernel<double>(s), () => new Conv2dKernel<float>(s));

    public static NodeKernel? Conv2dGradInputs(NodeSlots s) =>
        Float(s, () => new Conv2dGradInputsKernel<double>(s), () => new Conv2dGradInputsKernel<float>(s));

    public static NodeKernel? Conv2dGradWeights(NodeSlots s) =>
        Float(s, () => new Conv2dGradWeightsKernel<double>(s), () => new Conv2dGradWeightsKernel<float>(s));

    public static NodeKernel? Pool(NodeSlots s) =>
        Float(s, () => new PoolKernel<double>(s), () => new PoolKernel<float>(s));

    public static NodeKernel? MaxPoolGrad(NodeSlots s) =>
        Float(s, () => new MaxPoolGradKernel<double>(s), () => new MaxPoolGradKernel<float>(s));

    public static NodeKernel? AveragePoolGrad(NodeSlots s) =>
        Float(s, () => new AveragePoolGradKernel<double>(s), () => new AveragePoolGradKernel<float>(s));

    private static NodeKernel? Float(NodeSlots s, Func<NodeKernel> float64, Func<NodeKernel> float32)
    {
        var dtype = s.Node.outputs[0].type.dtype;
        if (s.Node.inputs.Any(v => v.type.dtype.IsFloat && v.type.dtype != dtype)) return null;
        return dtype == DType.Float64 ? float64() : dtype == DType.Float32 ? float32() : null;
    }
}
