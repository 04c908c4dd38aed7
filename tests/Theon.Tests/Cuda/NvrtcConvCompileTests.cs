using Theon.Backends.Cuda.Codegen;

namespace Theon.Tests.Cuda;

/// <summary>The convolution and pooling kernels compile to PTX with NVRTC (skipped where NVRTC is not
/// installed).</summary>
public class NvrtcConvCompileTests
{
    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void Im2col_and_col2im_compile(string dtype)
    {
        NvrtcAvailability.Require();
        var kernels = new ConvKernels(DType.Parse(dtype));
        var ptx = NvrtcAvailability.Compile(kernels.Source());

        Assert.Contains($".entry {kernels.Im2ColName}", ptx);
        Assert.Contains($".entry {kernels.Col2ImName}", ptx);
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void Pooling_kernels_compile(string dtype)
    {
        NvrtcAvailability.Require();
        var kernels = new PoolKernels(DType.Parse(dtype));
        var ptx = NvrtcAvailability.Compile(kernels.Source());

        foreach (var name in new[] { kernels.ForwardName, kernels.MaxGradName, kernels.AverageGradName,
                     kernels.MaxGradGradName })
            Assert.Contains($".entry {name}", ptx);
    }

    [Fact]
    public void Other_dtypes_are_refused_naming_the_dtype()
    {
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => new ConvKernels(DType.Int64).Source()).Message);
        Assert.Contains("int32", Assert.Throws<ArgumentException>(() => new PoolKernels(DType.Int32).Source()).Message);
    }
}
