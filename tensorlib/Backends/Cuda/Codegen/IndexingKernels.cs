namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// numpy's integer-array indexing on the leading axes of a contiguous x: <c>out[j, rest] = x[i0[j], i1[j], ...,
/// rest]</c>
/// (gather, AdvancedSubtensor) and its transpose <c>out[i0[j], ..., rest] += y[j, rest]</c> (scatter-add,
/// AdvancedIncSubtensor, the NLL gradient), with atomics so that repeated indices add up; and the set
/// <c>out[i0[j], ..., rest] = y[j, rest]</c> (set_subtensor) in two passes, so that of repeated indices the last wins,
/// as numpy's: each position claims its target with an atomic max of j + 1, then only the winner writes. Negative
/// indices count from the end; an index out of range sets <c>error[0]</c> to the position + 1 and is skipped.
/// </summary>
public sealed record IndexingKernels(DType DType, int IndexCount)
{
    public const int MaxIndexArrays = 4;

    public string GatherName => $"theon_gather{IndexCount}_{DType}";
    public string ScatterAddName => $"theon_scatter_add{IndexCount}_{DType}";
    public string ScatterClaimName => $"theon_scatter_claim{IndexCount}_{DType}";
    public string ScatterSetName => $"theon_scatter_set{IndexCount}_{DType}";

    public string Source()
    {
        if (IndexCount is < 1 or > MaxIndexArrays)
            throw new ArgumentException($"indexing kernels take 1 to {MaxIndexArrays} index arrays, got {IndexCount}.");
        if (DType.IsBool || DType.ItemSize < 4)
            throw new ArgumentException($"scatter-add on the device takes 32- or 64-bit elements, got {DType}.");
        var t = CudaTypes.Of(DType);
        var arrays = Enumerable.Range(0, IndexCount).ToArray();
        var indexParams = string.Concat(arrays.Select(k => $"const long long* __restrict__ i{k}, "));
        var indexArgs = string.Concat(arrays.Select(k => $"i{k}, "));
        var atomicTarget = DType.Name switch
        {
            "int64" => "(unsigned long long*)&y[at], (unsigned long long)v",
            _ => "&y[at], v",
        };
        return $$"""
            struct theon_index_layout { long long dims[{{IndexCount}}]; };
            // The offset of x[i0[j], ..., i{{IndexCount - 1}}[j], 0...] in trailing blocks, or -1 if out of range.
            __device__ __forceinline__ long long theon_index_offset({{indexParams}}long long j, theon_index_layout l,
                long long* error)
            {
                long long offset = 0;
                {{string.Concat(arrays.Select(k => $$"""
                { long long v = i{{k}}[j]; if (v < 0) v += l.dims[{{k}}];
                  if (v < 0 || v >= l.dims[{{k}}]) {
                      atomicCAS((unsigned long long*)error, 0ull, (unsigned long long)(j + 1));
                    return -1; }
                  offset = offset * l.dims[{{k}}] + v; }

                """))}}
                return offset;
            }

            extern "C" __global__ void {{GatherName}}(const {{t}}* __restrict__ x, {{indexParams}}{{t}}* __restrict__ y,
                long long positions, long long block, theon_index_layout l, long long* error)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < positions * block;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long j = e / block, r = e % block;
                    const long long offset = theon_index_offset({{indexArgs}}j, l, error);
                    y[e] = offset < 0 ? ({{t}})0 : x[offset * block + r];
                }
            }

            extern "C" __global__ void {{ScatterAddName}}({{t}}* __restrict__ y,
                {{indexParams}}const {{t}}* __restrict__ values,
                long long positions, long long block, theon_index_layout l, long long* error)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < positions * block;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long j = e / block, r = e % block;
                    const long long offset = theon_index_offset({{indexArgs}}j, l, error);
                    if (offset < 0) continue;
                    const long long at = offset * block + r;
                    const {{t}} v = values[e];
                    atomicAdd({{atomicTarget}});
                }
            }

            // winner[offset] = the last position j (as j + 1) that writes there; winner starts zeroed
            extern "C" __global__ void {{ScatterClaimName}}(long long* __restrict__ winner, {{indexParams}}
                long long positions, theon_index_layout l, long long* error)
            {
                for (long long j = blockIdx.x * (long long)blockDim.x + threadIdx.x; j < positions;
                     j += (long long)blockDim.x * gridDim.x)
                {
                    const long long offset = theon_index_offset({{indexArgs}}j, l, error);
                    if (offset >= 0) atomicMax(&winner[offset], j + 1);
                }
            }

            extern "C" __global__ void {{ScatterSetName}}({{t}}* __restrict__ y, {{indexParams}}
                const {{t}}* __restrict__ values, const long long* __restrict__ winner, long long positions,
                long long block, theon_index_layout l, long long* error)
            {
                for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < positions * block;
                     e += (long long)blockDim.x * gridDim.x)
                {
                    const long long j = e / block, r = e % block;
                    const long long offset = theon_index_offset({{indexArgs}}j, l, error);
                    if (offset >= 0 && winner[offset] == j + 1) y[offset * block + r] = values[e];
                }
            }
            """;
    }
}
