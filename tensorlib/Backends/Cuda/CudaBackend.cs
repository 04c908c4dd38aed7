using Theon.Backends.Cuda.Runtime;
using Theon.Compile;

namespace Theon.Backends.Cuda;

/// <summary>
/// The CUDA backend for the seam in <see cref="Backend"/>: the optimized graph is split into fused elementwise kernels
/// and device ops (<see cref="ExecutionPlan"/>, <see cref="DeviceOps"/>), compiled by NVRTC on first use. The device
/// is opened when the first function is built, so a process that never asks for CUDA loads no CUDA library.
/// </summary>
public sealed class CudaBackend : Backend
{
    public static readonly CudaBackend Instance = new();

    private CudaBackend()
    {
    }

    public override string Name => "cuda";

    internal override Executable Build(IReadOnlyList<Variable> outputs) => new CudaExecutable(CudaDevice.Default,
        outputs);
}

/// <summary>
/// Runs a plan on the device for <see cref="CompiledFunction"/>, which owns argument checks and the transactional
/// update of shared variables on the host. Every graph input is uploaded each call: the seam passes shared values as
/// host arrays that updates overwrite in place, so a device copy cannot be known to be current (see
/// <see cref="CudaFunctionRunner"/> for resident shared variables).
/// </summary>
internal sealed class CudaExecutable : Executable
{
    private readonly IReadOnlyList<Variable> outputs;
    private readonly IReadOnlyList<PlanStep> plan;
    private readonly DeviceKernels kernels;
    private readonly Transfers transfers;
    private readonly ErrorFlag error;

    public CudaExecutable(CudaDevice device, IReadOnlyList<Variable> outputs)
    {
        this.outputs = outputs;
        Schedule = GraphWalk.TopoSort(outputs);
        GraphInputs = GraphWalk.Inputs(outputs);
        plan = ExecutionPlan.Build(Schedule, outputs);
        kernels = new DeviceKernels(device);
        transfers = new Transfers(device);
        error = new ErrorFlag(device);
    }

    public override IReadOnlyList<Apply> Schedule { get; }

    public override IReadOnlyList<Variable> GraphInputs { get; }

    public override void Run(NDArray[] inputs, NDArray[] results, CancellationToken cancellation)
    {
        kernels.Device.MakeCurrent();
        var context = new CallContext(kernels, transfers, error);
        try
        {
            var values = new Dictionary<Variable, DeviceArray>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < inputs.Length; i++) values[GraphInputs[i]] = context.Track(transfers.Upload(inputs[i]));
            error.Reset();
            foreach (var step in plan)
            {
                cancellation.ThrowIfCancellationRequested();
                PlanRunner.Execute(step, values, context);
            }
            if (error.Read() is var flagged and not 0)
                throw new IndexOutOfRangeException($"an index or label is out of range at position {flagged - 1} " +
                    $"(device check).");
            for (var o = 0; o < outputs.Count; o++)
                results[o] = transfers.Download(context.Contiguous(values[outputs[o]]));
        }
        finally
        {
            foreach (var memory in context.Allocations) memory.Dispose();
        }
    }
}
