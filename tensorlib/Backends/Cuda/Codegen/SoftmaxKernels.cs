namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// Row kernels on a contiguous [rows, columns] matrix, one block per row: softmax (the row maximum subtracted
/// first), log-softmax, and softmax with the cross-entropy against integer labels (Theano's
/// CrossentropySoftmaxArgmax1HotWithBias without the bias) with its gradient (softmax - one_hot) * gnll.
/// A label outside [0, columns) sets <c>error[0]</c> to the row + 1 instead of reading out of bounds.
/// </summary>
public sealed record SoftmaxKernels(DType DType)
{
    public const int BlockSize = 256;

    public string SoftmaxName => $"theon_softmax_{DType}";
    public string LogSoftmaxName => $"theon_log_softmax_{DType}";
    public string CrossEntropyName => $"theon_softmax_xent_{DType}";
    public string CrossEntropyGradName => $"theon_softmax_xent_grad_{DType}";

    public string Source()
    {
        if (!DType.IsFloat) throw new ArgumentException($"softmax kernels take float32 or float64, got {DType}.");
        var t = CudaTypes.Of(DType);
        var f = DType == DType.Float32 ? "f" : "";
        var (negativeInfinity, nan) = DType == DType.Float32
            ? ("__int_as_float(0xff800000)", "__int_as_float(0x7fc00000)")
            : ("__longlong_as_double(0xfff0000000000000ull)", "__longlong_as_double(0x7ff8000000000000ull)");
        return $$"""
            {{ScalarCode.Prelude}}
            // Block-wide reduction of one value per thread; every thread gets the result.
            template <bool Max> __device__ {{t}} theon_block_reduce({{t}} v, {{t}}* scratch)
            {
                scratch[threadIdx.x] = v;
                __syncthreads();
                for (int width = blockDim.x / 2; width > 0; width /= 2)
                {
                    if (threadIdx.x < width)
                    {
                        const {{t}} a = scratch[threadIdx.x], b = scratch[threadIdx.x + width];
                        scratch[threadIdx.x] = Max ? theon_maximum(a, b) : a + b;
                    }
                    __syncthreads();
                }
                const {{t}} result = scratch[0];
                __syncthreads();
                return result;
            }

            // The row's maximum and the sum of exp(x - maximum).
            __device__ void theon_row_stats(const {{t}}* row, long long columns, {{t}}* scratch, {{t}}& m, {{t}}& s)
            {
                {{t}} local = {{negativeInfinity}};
                for (long long c = threadIdx.x; c < columns; c += blockDim.x) local = theon_maximum(local, row[c]);
                m = theon_block_reduce<true>(local, scratch);
                {{t}} sum = 0;
                for (long long c = threadIdx.x; c < columns; c += blockDim.x) sum += exp{{f}}(row[c] - m);
                s = theon_block_reduce<false>(sum, scratch);
            }

            extern "C" __global__ void {{SoftmaxName}}(const {{t}}* __restrict__ x, {{t}}* __restrict__ y,
                long long rows, long long columns)
            {
                __shared__ {{t}} scratch[{{BlockSize}}];
                for (long long r = blockIdx.x; r < rows; r += gridDim.x)
                {
                    {{t}} m, s;
                    theon_row_stats(x + r * columns, columns, scratch, m, s);
                    for (long long c = threadIdx.x; c < columns; c += blockDim.x)
                        y[r * columns + c] = exp{{f}}(x[r * columns + c] - m) / s;
                }
            }

            extern "C" __global__ void {{LogSoftmaxName}}(const {{t}}* __restrict__ x, {{t}}* __restrict__ y,
                long long rows, long long columns)
            {
                __shared__ {{t}} scratch[{{BlockSize}}];
                for (long long r = blockIdx.x; r < rows; r += gridDim.x)
                {
                    {{t}} m, s;
                    theon_row_stats(x + r * columns, columns, scratch, m, s);
                    const {{t}} logS = log{{f}}(s);
                    for (long long c = threadIdx.x; c < columns; c += blockDim.x)
                        y[r * columns + c] = x[r * columns + c] - m - logS;
                }
            }

            extern "C" __global__ void {{CrossEntropyName}}(const {{t}}* __restrict__ x,
                const long long* __restrict__ labels,
                {{t}}* __restrict__ nll, {{t}}* __restrict__ sm, long long rows, long long columns, long long* error)
            {
                __shared__ {{t}} scratch[{{BlockSize}}];
                for (long long r = blockIdx.x; r < rows; r += gridDim.x)
                {
                    {{t}} m, s;
                    theon_row_stats(x + r * columns, columns, scratch, m, s);
                    for (long long c = threadIdx.x; c < columns; c += blockDim.x)
                        sm[r * columns + c] = exp{{f}}(x[r * columns + c] - m) / s;
                    if (threadIdx.x == 0)
                    {
                        const long long label = labels[r];
                        if (label < 0 || label >= columns) { atomicCAS((unsigned long long*)error, 0ull,
                            (unsigned long long)(r + 1)); nll[r] = {{nan}}; }
                        else nll[r] = log{{f}}(s) - (x[r * columns + label] - m);
                    }
                }
            }

            extern "C" __global__ void {{CrossEntropyGradName}}(const {{t}}* __restrict__ gnll,
                const {{t}}* __restrict__ sm,
                const long long* __restrict__ labels, {{t}}* __restrict__ dx, long long rows, long long columns)
            {
                for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < rows * columns;
                     i += (long long)blockDim.x * gridDim.x)
                {
                    const long long r = i / columns, c = i % columns;
                    dx[i] = (sm[i] - (labels[r] == c ? ({{t}})1 : ({{t}})0)) * gnll[r];
                }
            }
            """;
    }
}
