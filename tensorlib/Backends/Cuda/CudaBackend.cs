using Theon.Backends.Cuda.Runtime;
using Theon.Compile;

namespace Theon.Backends.Cuda;

/// <summary>
/// The CUDA backend: the fusion phase makes the optimized graph's elementwise chains into <see cref="Ops.Composite"/>
/// loops, then the graph becomes a plan of generated kernels, device ops and host index arithmetic
/// (<see cref="ExecutionPlan"/>), run by a <see cref="CudaExecutable"/> on one <see cref="Device"/>.
/// "cuda" is the default GPU, opened when the first function is built, so a process that never asks for CUDA loads
/// no CUDA library; the tests build the same backend on a host device that runs the generated kernels on the CPU.
/// </summary>
public sealed class CudaBackend : Backend
{
    /// <summary>"cuda": the default GPU, or with <c>THEON_CUDA_DEVICE=emulated</c> the CPU emulation (g++), which
    /// runs the same runtime and generated kernels slowly, for machines without a GPU.</summary>
    public static readonly CudaBackend Instance = new(() =>
        Environment.GetEnvironmentVariable("THEON_CUDA_DEVICE") == "emulated" ? new Emulation.EmulatedDevice()
            : CudaDevice.Default);

    private readonly Lazy<Device> device;

    private CudaBackend(Func<Device> open) => device = new Lazy<Device>(open);

    /// <summary>A backend on <paramref name="device"/> (the tests' host device, say).</summary>
    public static CudaBackend On(Device device) => new(() => device);

    // Loops may hold every scalar op that has a CUDA row, of any dtype.
    private static readonly IReadOnlyList<Phase> FusionPhases =
        [new FusionPhase((op, _) => Codegen.ScalarCode.Supports(op)).Phase];

    public override string Name => "cuda";

    public override IReadOnlyList<Phase> Phases => FusionPhases;

    public Device Device => device.Value;

    internal override Executable Build(IReadOnlyList<Variable> outputs, IReadOnlyList<SharedVariable> updated,
        IReadOnlyList<InPlaceUpdate>? inPlace = null) => new CudaExecutable(Device, outputs, updated, inPlace ?? []);

    // The device writes basic selections with a loop kernel and adds at advanced indices with its scatter-add; a set
    // at advanced indices (whose repeated positions must keep the last value) is computed out of place on the host.
    internal override bool UpdatesInPlace(Apply node) => !node.outputs[0].type.dtype.IsBool
        && (node.op is Ops.IncSubtensor || (node.op is Ops.AdvancedIncSubtensor && DeviceOps.Runs(node)));
}
