namespace Theon;

public static partial class T
{
    public static partial class config
    {
        private static string backendValue = "cpu";
        private static int threadCount = Environment.ProcessorCount;
        private static int unrollLimit = 1024;

        /// <summary>
        /// The backend new functions compile for: "cpu" (default: fused, vectorized loops, a packed GEMM, planned
        /// buffers), "reference" (every op's reference implementation, node by node) or "cuda" (fused kernels
        /// compiled by NVRTC and cuBLAS on an NVIDIA GPU; loaded on first use, with a clear error without CUDA).
        /// </summary>
        public static string backend
        {
            get => backendValue;
            set => backendValue = Theon.Compile.Backend.CheckName(value);
        }

        /// <summary>Whether the CPU backend splits large elementwise loops and matrix products across
        /// threads.</summary>
        public static bool threads { get; set; } = true;

        /// <summary>The most threads one operation uses (default: the number of processors).</summary>
        public static int num_threads
        {
            get => threadCount;
            set => threadCount = value >= 1
                ? value
                : throw new ArgumentException($"config.num_threads must be at least 1, got {value}.");
        }

        /// <summary>
        /// The most scalar operations of a graph that the CPU backend unrolls: a function whose graph needs no more
        /// (and no more than 64 a node), called twice in a row with the same input shapes, is compiled into one method
        /// of straight-line code for those shapes, which saves the per-node cost of small graphs (default 1024; 0
        /// turns unrolling off).
        /// </summary>
        public static int unroll_limit
        {
            get => unrollLimit;
            set => unrollLimit = value >= 0
                ? value
                : throw new ArgumentException($"config.unroll_limit must be at least 0, got {value}.");
        }

        /// <summary>
        /// Whether the CUDA backend records a function's call into a CUDA graph once the same call (shapes, scalar
        /// arguments, shared values' places) has come twice, and replays it afterwards: one launch per call instead
        /// of one per kernel (default on).
        /// </summary>
        public static bool cuda_graphs { get; set; } = true;

        /// <summary>The threads an operation may use now: 1 when threading is off.</summary>
        internal static int EffectiveThreads => threads ? threadCount : 1;
    }
}
