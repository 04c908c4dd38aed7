using Theon.Backends.Cuda.Codegen;
using Theon.Ops;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>The launches of the convolution and pooling kernels (<see cref="ConvKernels"/>,
/// <see cref="PoolKernels"/>) on contiguous device arrays.</summary>
public sealed partial class KernelLauncher
{
    /// <summary>
    /// The column matrices of <paramref name="images"/> images from <paramref name="image"/> (the first of them)
    /// into <paramref name="columns"/>, image n's entry (row r, pixel p) at n·imageStep + r·rowStep + p.
    /// </summary>
    public void Im2Col(Conv2dGeometry g, DType dtype, ulong image, ulong columns, int images, long imageStep,
        long rowStep)
    {
        var kernels = new ConvKernels(dtype);
        var work = (long)images * g.Channels * g.OutH * g.OutW;
        if (work == 0 || g.KH * g.KW == 0) return;
        using var arguments = new KernelArguments().Pointer(image).Pointer(columns).Long(images).Long(imageStep)
            .Long(rowStep).Struct(ConvKernels.Geometry(g));
        device.Launch(Load(kernels, kernels.Im2ColName, kernels.Source), work, arguments);
    }

    /// <summary>The transpose of <see cref="Im2Col"/>: each input element of the images is set to the sum of the
    /// column entries that read it.</summary>
    public void Col2Im(Conv2dGeometry g, DType dtype, ulong columns, ulong image, int images, long imageStep,
        long rowStep)
    {
        var kernels = new ConvKernels(dtype);
        var work = (long)images * g.Channels * g.Height * g.Width;
        if (work == 0) return;
        using var arguments = new KernelArguments().Pointer(columns).Pointer(image).Long(images).Long(imageStep)
            .Long(rowStep).Struct(ConvKernels.Geometry(g));
        device.Launch(Load(kernels, kernels.Col2ImName, kernels.Source), work, arguments);
    }

    /// <summary>Pooling of contiguous <paramref name="x"/> into contiguous <paramref name="z"/>.</summary>
    public void Pool(PoolGeometry g, DeviceArray x, DeviceArray z) =>
        PoolLaunch(x.DType, k => k.ForwardName, g.OutputSize, g, x.Pointer, z.Pointer);

    public void MaxPoolGrad(PoolGeometry g, DeviceArray x, DeviceArray maxout, DeviceArray gz, DeviceArray gx) =>
        PoolLaunch(gx.DType, k => k.MaxGradName, g.InputSize, g, x.Pointer, maxout.Pointer, gz.Pointer, gx.Pointer);

    public void AveragePoolGrad(PoolGeometry g, DeviceArray gz, DeviceArray gx) =>
        PoolLaunch(gx.DType, k => k.AverageGradName, g.InputSize, g, gz.Pointer, gx.Pointer);

    public void MaxPoolGradGrad(PoolGeometry g, DeviceArray x, DeviceArray maxout, DeviceArray ggx, DeviceArray ggz) =>
        PoolLaunch(ggz.DType, k => k.MaxGradGradName, g.OutputSize, g, x.Pointer, maxout.Pointer, ggx.Pointer,
            ggz.Pointer);

    private void PoolLaunch(DType dtype, Func<PoolKernels, string> name, long work, PoolGeometry g,
        params ulong[] pointers)
    {
        if (work == 0) return;
        var kernels = new PoolKernels(dtype);
        using var arguments = new KernelArguments();
        foreach (var pointer in pointers) arguments.Pointer(pointer);
        arguments.Long(g.Planes).Struct(PoolKernels.Geometry(g));
        device.Launch(Load(kernels, name(kernels), kernels.Source), work, arguments);
    }
}
