namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// Pooling over the last two axes of a batch of planes, as Theano's <c>Pool.perform</c> and its gradients compute
/// it (the same windows as <see cref="Ops.PoolGeometry.Window"/>): the forward pass in every mode, one thread per
/// output cell; the gradients of max pooling (every input equal to its window's maximum receives the window's
/// gradient, ties included) and of sum and average pooling as gathers, one thread per input element summing the
/// cells whose window holds it, in the cells' order, so no atomics are needed; and
/// <c>DownsampleFactorMaxGradGrad</c> (each cell takes the gradient at its window's last maximum).
/// </summary>
public sealed record PoolKernels(DType DType)
{
    public string ForwardName => $"theon_pool_{DType}";
    public string MaxGradName => $"theon_max_pool_grad_{DType}";
    public string AverageGradName => $"theon_average_pool_grad_{DType}";
    public string MaxGradGradName => $"theon_max_pool_grad_grad_{DType}";

    /// <summary>The fields of the geometry argument, in order (<see cref="Geometry"/> writes them).</summary>
    public const string GeometryFields = "h, w, wsh, wsw, sh, sw, ph, pw, oh, ow, mode";

    public static readonly string[] Modes = ["max", "sum", "average_inc_pad", "average_exc_pad"];

    public static long[] Geometry(Ops.PoolGeometry g) =>
    [
        g.Height, g.Width, g.WsH, g.WsW, g.StrideH, g.StrideW, g.PadH, g.PadW, g.OutH, g.OutW,
        Array.IndexOf(Modes, g.Mode) is var mode and >= 0 ? mode
            : throw new ArgumentException($"pooling has no mode '{g.Mode}'."),
    ];

    public string Source()
    {
        if (DType != DType.Float32 && DType != DType.Float64)
            throw new ArgumentException($"the pooling kernels take float32 or float64, got {DType}.");
        var t = CudaTypes.Of(DType);
        var lowest = DType == DType.Float32 ? "__int_as_float(0xff800000)"
            : "__longlong_as_double(0xfff0000000000000ll)";
        return $$"""
            struct theon_pool_geometry { long long {{GeometryFields}}; };

            // The input rows [*r0, *r1) of output row r (columns alike), clipped to the image.
            __device__ __forceinline__ void theon_pool_range(long long r, long long stride, long long ws, long long pad,
                long long length, long long* r0, long long* r1)
            {
                const long long start = r * stride - pad;
                *r0 = start > 0 ? start : 0;
                *r1 = start + ws < length ? start + ws : length;
            }

            // The plane of output cell e and the input rows and columns of its window.
            __device__ __forceinline__ void theon_pool_window(theon_pool_geometry g, long long e, long long* plane,
                long long* r0, long long* r1, long long* c0, long long* c1)
            {
                *plane = e / (g.ow * g.oh);
                theon_pool_range((e / g.ow) % g.oh, g.sh, g.wsh, g.ph, g.h, r0, r1);
                theon_pool_range(e % g.ow, g.sw, g.wsw, g.pw, g.w, c0, c1);
            }

            // What an average of cell (r, c) divides by: the window clipped to the padded image (average_inc_pad) or
            // the elements read.
            __device__ __forceinline__ long long theon_pool_count(theon_pool_geometry g, long long r, long long c)
            {
                long long r0, r1, c0, c1;
                if (g.mode == 2)
                {
                    const long long bottom = r * g.sh + g.wsh, right = c * g.sw + g.wsw;
                    const long long rows = (bottom < g.h + 2 * g.ph ? bottom : g.h + 2 * g.ph) - r * g.sh;
                    const long long columns = (right < g.w + 2 * g.pw ? right : g.w + 2 * g.pw) - c * g.sw;
                    return rows * columns;
                }
                theon_pool_range(r, g.sh, g.wsh, g.ph, g.h, &r0, &r1);
                theon_pool_range(c, g.sw, g.wsw, g.pw, g.w, &c0, &c1);
                return (r1 - r0) * (c1 - c0);
            }

            // The first and last output rows whose window holds input row i (columns alike); empty when last < first.
            __device__ __forceinline__ void theon_pool_cells(long long i, long long stride, long long ws, long long pad,
                long long outputs, long long* first, long long* last)
            {
                const long long low = i + pad - ws + 1;
                *first = low <= 0 ? 0 : (low + stride - 1) / stride;
                const long long high = (i + pad) / stride;
                *last = high < outputs - 1 ? high : outputs - 1;
            }

            extern "C" __global__ void {{ForwardName}}(const {{t}}* __restrict__ x, {{t}}* __restrict__ z,
                long long planes, theon_pool_geometry g)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < planes * g.oh * g.ow;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    long long plane, r0, r1, c0, c1;
                    theon_pool_window(g, e, &plane, &r0, &r1, &c0, &c1);
                    {{t}} acc = g.mode == 0 ? {{lowest}} : ({{t}})0;
                    for (long long i = r0; i < r1; i++)
                        for (long long j = c0; j < c1; j++)
                        {
                            const {{t}} v = x[(plane * g.h + i) * g.w + j];
                            if (g.mode != 0) acc += v;
                            else if (v > acc || v != v) acc = acc != acc ? acc : v;
                        }
                    z[e] = g.mode >= 2 ? acc / ({{t}})theon_pool_count(g, (e / g.ow) % g.oh, e % g.ow) : acc;
                }
            }

            extern "C" __global__ void {{MaxGradName}}(const {{t}}* __restrict__ x, const {{t}}* __restrict__ maxout,
                const {{t}}* __restrict__ gz, {{t}}* __restrict__ gx, long long planes, theon_pool_geometry g)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < planes * g.h * g.w;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long plane = e / (g.w * g.h);
                    long long r0, r1, c0, c1;
                    theon_pool_cells((e / g.w) % g.h, g.sh, g.wsh, g.ph, g.oh, &r0, &r1);
                    theon_pool_cells(e % g.w, g.sw, g.wsw, g.pw, g.ow, &c0, &c1);
                    const {{t}} v = x[e];
                    {{t}} sum = 0;
                    for (long long r = r0; r <= r1; r++)
                        for (long long c = c0; c <= c1; c++)
                        {
                            const long long cell = (plane * g.oh + r) * g.ow + c;
                            if (v == maxout[cell]) sum += gz[cell];
                        }
                    gx[e] = sum;
                }
            }

            extern "C" __global__ void {{AverageGradName}}(const {{t}}* __restrict__ gz, {{t}}* __restrict__ gx,
                long long planes, theon_pool_geometry g)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < planes * g.h * g.w;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long plane = e / (g.w * g.h);
                    long long r0, r1, c0, c1;
                    theon_pool_cells((e / g.w) % g.h, g.sh, g.wsh, g.ph, g.oh, &r0, &r1);
                    theon_pool_cells(e % g.w, g.sw, g.wsw, g.pw, g.ow, &c0, &c1);
                    {{t}} sum = 0;
                    for (long long r = r0; r <= r1; r++)
                        for (long long c = c0; c <= c1; c++)
                        {
                            const {{t}} share = gz[(plane * g.oh + r) * g.ow + c];
                            sum += g.mode == 1 ? share : share / ({{t}})theon_pool_count(g, r, c);
                        }
                    gx[e] = sum;
                }
            }

            extern "C" __global__ void {{MaxGradGradName}}(const {{t}}* __restrict__ x,
                const {{t}}* __restrict__ maxout, const {{t}}* __restrict__ ggx, {{t}}* __restrict__ ggz,
                long long planes, theon_pool_geometry g)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < planes * g.oh * g.ow;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    long long plane, r0, r1, c0, c1;
                    theon_pool_window(g, e, &plane, &r0, &r1, &c0, &c1);
                    {{t}} value = 0;
                    for (long long i = r0; i < r1; i++)
                        for (long long j = c0; j < c1; j++)
                        {
                            const long long at = (plane * g.h + i) * g.w + j;
                            if (x[at] == maxout[e]) value = ggx[at];
                        }
                    ggz[e] = value;
                }
            }
            """;
    }
}
