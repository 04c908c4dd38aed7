namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// The column matrices of 2-d convolution for a group of images, which the device GEMM multiplies by the filters.
/// Row <c>(c·KH + fu)·KW + fv</c> of an image's column matrix holds, for each output pixel, the input element that
/// filter element (fu, fv) of channel c meets (the flipped tap for a true convolution, so the filters are never
/// copied), zero in the padding. im2col writes it; col2im is its transpose, written as a gather: each input element
/// sums the column entries that read it, so no two threads write one element and no atomics are needed. Element
/// (image n, row r, pixel p) of the columns is at <c>n·imageStep + r·rowStep + p</c>: one matrix per image
/// (rowStep = pixels) or the images side by side in one matrix (imageStep = pixels).
/// </summary>
public sealed record ConvKernels(DType DType)
{
    public string Im2ColName => $"theon_im2col_{DType}";
    public string Col2ImName => $"theon_col2im_{DType}";

    /// <summary>The fields of the geometry argument, in order (<see cref="Geometry"/> writes them).</summary>
    public const string GeometryFields = "c, h, w, kh, kw, ph, pw, sh, sw, dh, dw, oh, ow, flip";

    public static long[] Geometry(Ops.Conv2dGeometry g) =>
    [
        g.Channels, g.Height, g.Width, g.KH, g.KW, g.PadH, g.PadW, g.StrideH, g.StrideW, g.DilationH, g.DilationW,
        g.OutH, g.OutW, g.Flip ? 1 : 0,
    ];

    public string Source()
    {
        if (DType != DType.Float32 && DType != DType.Float64)
            throw new ArgumentException($"the convolution kernels take float32 or float64, got {DType}.");
        var t = CudaTypes.Of(DType);
        return $$"""
            struct theon_conv_geometry { long long {{GeometryFields}}; };

            // One thread per (image, channel, output pixel), as Caffe's im2col: it writes that pixel's entry of the
            // channel's KH·KW rows, consecutive threads consecutive pixels.
            extern "C" __global__ void {{Im2ColName}}(const {{t}}* __restrict__ x, {{t}}* __restrict__ col,
                long long images, long long image_step, long long row_step, theon_conv_geometry g)
            {
                const long long pixels = g.oh * g.ow;
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < images * g.c * pixels;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long p = e % pixels, ch = (e / pixels) % g.c, n = e / (pixels * g.c);
                    const long long top = (p / g.ow) * g.sh - g.ph, left = (p % g.ow) * g.sw - g.pw;
                    const {{t}}* image = x + (n * g.c + ch) * g.h * g.w;
                    {{t}}* out = col + n * image_step + ch * g.kh * g.kw * row_step + p;
                    for (long long u = 0; u < g.kh; u++)
                    {
                        const long long row = top + u * g.dh;
                        const long long fu = g.flip ? g.kh - 1 - u : u;
                        for (long long v = 0; v < g.kw; v++)
                        {
                            const long long column = left + v * g.dw;
                            const long long fv = g.flip ? g.kw - 1 - v : v;
                            out[(fu * g.kw + fv) * row_step] = row >= 0 && row < g.h && column >= 0 && column < g.w
                                ? image[row * g.w + column] : ({{t}})0;
                        }
                    }
                }
            }

            extern "C" __global__ void {{Col2ImName}}(const {{t}}* __restrict__ col, {{t}}* __restrict__ x,
                long long images, long long image_step, long long row_step, theon_conv_geometry g)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < images * g.c * g.h * g.w;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long column = e % g.w, row = (e / g.w) % g.h, ch = (e / (g.w * g.h)) % g.c;
                    const long long n = e / (g.w * g.h * g.c);
                    {{t}} sum = 0;
                    // Output pixel (i, j) reads this element through tap (u, v) when i·sh = top and j·sw = left;
                    // a stride of 1 (the common case) skips the divisions.
                    for (long long u = 0; u < g.kh; u++)
                    {
                        const long long top = row + g.ph - u * g.dh;
                        if (top < 0 || (g.sh != 1 && top % g.sh != 0)) continue;
                        const long long i = g.sh == 1 ? top : top / g.sh;
                        if (i >= g.oh) continue;
                        const long long fu = g.flip ? g.kh - 1 - u : u;
                        const {{t}}* rows = col + n * image_step + ch * g.kh * g.kw * row_step + i * g.ow;
                        for (long long v = 0; v < g.kw; v++)
                        {
                            const long long left = column + g.pw - v * g.dw;
                            if (left < 0 || (g.sw != 1 && left % g.sw != 0)) continue;
                            const long long j = g.sw == 1 ? left : left / g.sw;
                            if (j >= g.ow) continue;
                            const long long fv = g.flip ? g.kw - 1 - v : v;
                            sum += rows[(fu * g.kw + fv) * row_step + j];
                        }
                    }
                    x[e] = sum;
                }
            }
            """;
    }
}
