namespace Theon.Backends.Cuda.Codegen;

/// <summary>
/// The random draws of <see cref="Ops.Random.Uniform"/> (float32, float64) and Bernoulli masks (binomial with n = 1,
/// float32) on the device: Philox4x32-10 (<see cref="Ops.Random.Philox"/>), one thread per four-word block in a
/// grid-stride loop, each block's elements computed as the ops' <c>Perform</c> computes them (the arithmetic with
/// round-to-nearest intrinsics, so that NVRTC does not fuse a multiply and an add). The state is read on the device
/// and the next state written there, so a training step reads nothing back. Parameters travel as the bits of a
/// float64.
/// </summary>
public sealed record PhiloxKernels
{
    public const string UniformSingle = "theon_philox_uniform_float32";
    public const string UniformDouble = "theon_philox_uniform_float64";
    public const string BernoulliSingle = "theon_philox_bernoulli_float32";

    public string Source() => """
        #if !defined(__CUDACC__)
        static inline float __fadd_rn(float a, float b) { return a + b; }
        static inline float __fsub_rn(float a, float b) { return a - b; }
        static inline float __fmul_rn(float a, float b) { return a * b; }
        static inline double __dadd_rn(double a, double b) { return a + b; }
        static inline double __dsub_rn(double a, double b) { return a - b; }
        static inline double __dmul_rn(double a, double b) { return a * b; }
        #endif

        __device__ __forceinline__ void theon_philox(unsigned int c[4], unsigned int k0, unsigned int k1)
        {
            for (int round = 0; round < 10; round++)
            {
                if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
                const unsigned long long p0 = (unsigned long long)0xD2511F53u * c[0];
                const unsigned long long p1 = (unsigned long long)0xCD9E8D57u * c[2];
                const unsigned int n0 = (unsigned int)(p1 >> 32) ^ c[1] ^ k0;
                const unsigned int n2 = (unsigned int)(p0 >> 32) ^ c[3] ^ k1;
                c[0] = n0; c[1] = (unsigned int)p1; c[2] = n2; c[3] = (unsigned int)p0;
            }
        }

        // Block b of the draw: counter + b as (low, high, 0, 0) under the state's key.
        __device__ __forceinline__ void theon_block(const long long* state, long long b, unsigned int c[4])
        {
            const unsigned long long key = (unsigned long long)state[0];
            const unsigned long long counter = (unsigned long long)state[1] + (unsigned long long)b;
            c[0] = (unsigned int)counter; c[1] = (unsigned int)(counter >> 32); c[2] = 0; c[3] = 0;
            theon_philox(c, (unsigned int)key, (unsigned int)(key >> 32));
        }

        __device__ __forceinline__ void theon_next_state(const long long* state, long long* next, long long blocks)
        {
            if (blockIdx.x == 0 && threadIdx.x == 0)
            {
                next[0] = state[0];
                next[1] = (long long)((unsigned long long)state[1] + (unsigned long long)blocks);
            }
        }

        extern "C" __global__ void theon_philox_uniform_float32(const long long* __restrict__ state,
            long long* __restrict__ next, float* __restrict__ out, long long n, long long low_bits, long long high_bits)
        {
            const float low = (float)__longlong_as_double(low_bits), high = (float)__longlong_as_double(high_bits);
            const long long blocks = (n + 3) / 4;
            const float range = __fsub_rn(high, low);
            for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < blocks;
                 b += (long long)gridDim.x * blockDim.x)
            {
                unsigned int c[4];
                theon_block(state, b, c);
                for (int k = 0; k < 4 && 4 * b + k < n; k++)
                    out[4 * b + k] = __fadd_rn(low, __fmul_rn(range, (float)(c[k] >> 8) * (1.0f / 16777216.0f)));
            }
            theon_next_state(state, next, blocks);
        }

        extern "C" __global__ void theon_philox_uniform_float64(const long long* __restrict__ state,
            long long* __restrict__ next, double* __restrict__ out, long long n, long long low_bits, long long high_bits)
        {
            const double low = __longlong_as_double(low_bits), high = __longlong_as_double(high_bits);
            const long long blocks = (n + 1) / 2;
            const double range = __dsub_rn(high, low);
            for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < blocks;
                 b += (long long)gridDim.x * blockDim.x)
            {
                unsigned int c[4];
                theon_block(state, b, c);
                for (int e = 0; e < 2 && 2 * b + e < n; e++)
                {
                    const double u = ((double)(c[2 * e] >> 5) * 67108864.0 + (double)(c[2 * e + 1] >> 6))
                        * (1.0 / 9007199254740992.0);
                    out[2 * b + e] = __dadd_rn(low, __dmul_rn(range, u));
                }
            }
            theon_next_state(state, next, blocks);
        }

        extern "C" __global__ void theon_philox_bernoulli_float32(const long long* __restrict__ state,
            long long* __restrict__ next, float* __restrict__ out, long long n, long long p_bits)
        {
            const double p = __longlong_as_double(p_bits);
            const long long blocks = (n + 3) / 4;
            for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < blocks;
                 b += (long long)gridDim.x * blockDim.x)
            {
                unsigned int c[4];
                theon_block(state, b, c);
                for (int k = 0; k < 4 && 4 * b + k < n; k++)
                    out[4 * b + k] = (double)c[k] * (1.0 / 4294967296.0) < p ? 1.0f : 0.0f;
            }
            theon_next_state(state, next, blocks);
        }
        """;
}
