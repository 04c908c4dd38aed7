namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// A reduction along one axis of a contiguous input seen as [outer, length, inner]: one block per output element,
/// its threads striding over the axis, then a shared-memory tree. Sums and products accumulate in double (float
/// inputs) or long long (integers), Theano's acc_dtype; max, min and argmax in the input type. argmax gives the
/// first index of the maximum, NaN counting as the maximum as in numpy.
/// </summary>
public sealed record ReductionKernel(string Kind, DType Input)
{
    public static readonly IReadOnlyList<string> Kinds = ["sum", "prod", "max", "min", "argmax"];

    public const int BlockSize = 256;

    public DType Output => Kind switch
    {
        "argmax" => DType.Int64,
        "sum" or "prod" when !Input.IsFloat => DType.Int64,
        _ => Input,
    };

    private DType Accumulator => Kind is "sum" or "prod" ? (Input.IsFloat ? DType.Float64 : DType.Int64) : Input;

    public string Name => $"theon_reduce_{Kind}_{Input}";

    public string Source()
    {
        if (!Kinds.Contains(Kind)) throw new ArgumentException($"unknown reduction {Kind}; expected one of " +
            $"{string.Join(", ", Kinds)}.");
        var (t, acc, o) = (CudaTypes.Of(Input), CudaTypes.Of(Accumulator), CudaTypes.Of(Output));
        var (init, combine) = Kind switch
        {
            "sum" => ("0", "a + b"),
            "prod" => ("1", "a * b"),
            "max" => ("x[base]", "theon_maximum(a, b)"),
            "min" => ("x[base]", "theon_minimum(a, b)"),
            _ => ("", ""),
        };
        if (Kind == "argmax") return ArgmaxSource(t);
        return $$"""
            {{ScalarCode.Prelude}}
            extern "C" __global__ void {{Name}}(const {{t}}* __restrict__ x, {{o}}* __restrict__ y,
                long long outer, long long length, long long inner)
            {
                __shared__ {{acc}} partial[{{BlockSize}}];
                for (long long e = blockIdx.x; e < outer * inner; e += gridDim.x)
                {
                    const long long base = (e / inner) * length * inner + e % inner;
                    {{acc}} a = ({{acc}})({{init}});
                    for (long long k = threadIdx.x; k < length; k += blockDim.x)
                    {
                        const {{acc}} b = ({{acc}})x[base + k * inner];
                        a = {{combine}};
                    }
                    partial[threadIdx.x] = a;
                    __syncthreads();
                    for (int width = blockDim.x / 2; width > 0; width /= 2)
                    {
                        if (threadIdx.x < width) {
                            const {{acc}} b = partial[threadIdx.x + width];
                            a = partial[threadIdx.x];
                            partial[threadIdx.x] = {{combine}};
                        }
                        __syncthreads();
                    }
                    if (threadIdx.x == 0) y[e] = ({{o}})partial[0];
                    __syncthreads();
                }
            }
            """;
    }

    private string ArgmaxSource(string t) => $$"""
        {{ScalarCode.Prelude}}
        __device__ __forceinline__ bool theon_better({{t}} a, long long ia, {{t}} b, long long ib)
        {
            if (a != a) return b == b || ia < ib;
            if (b != b) return false;
            return a > b || (a == b && ia < ib);
        }
        extern "C" __global__ void {{Name}}(const {{t}}* __restrict__ x, long long* __restrict__ y,
            long long outer, long long length, long long inner)
        {
            __shared__ {{t}} best[{{BlockSize}}];
            __shared__ long long at[{{BlockSize}}];
            for (long long e = blockIdx.x; e < outer * inner; e += gridDim.x)
            {
                const long long base = (e / inner) * length * inner + e % inner;
                {{t}} a = x[base];
                long long ia = 0;
                for (long long k = threadIdx.x; k < length; k += blockDim.x)
                {
                    const {{t}} b = x[base + k * inner];
                    if (theon_better(b, k, a, ia)) { a = b; ia = k; }
                }
                best[threadIdx.x] = a;
                at[threadIdx.x] = ia;
                __syncthreads();
                for (int width = blockDim.x / 2; width > 0; width /= 2)
                {
                    if (threadIdx.x < width && theon_better(best[threadIdx.x + width], at[threadIdx.x + width],
                        best[threadIdx.x], at[threadIdx.x]))
                    {
                        best[threadIdx.x] = best[threadIdx.x + width];
                        at[threadIdx.x] = at[threadIdx.x + width];
                    }
                    __syncthreads();
                }
                if (threadIdx.x == 0) y[e] = at[0];
                __syncthreads();
            }
        }
        """;
}
