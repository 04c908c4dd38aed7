using Theon.Ops;

namespace Theon.Backends.Cpu;

/// <summary>
/// A <see cref="Ops.Scan"/> on the CPU backend: its inner graph optimized and compiled by this backend once, when
/// the outer function is built (fused loops, GEMM, a memory plan of its own), then run once per step by
/// <see cref="ScanLoop"/>, which writes each step's results into the rows of the outputs' planned buffers (kept from
/// call to call by the memory plan).
/// </summary>
internal sealed class ScanKernel(NodeSlots slots) : NodeKernel(slots)
{
    private readonly CompiledStep step = new(((Scan)slots.Node.op).Inner, CpuBackend.Instance);
    private readonly NDArray[] inputs = new NDArray[slots.Inputs.Length];
    private readonly ScanWorkspace workspace = new();

    public override bool WritesPlannedOutputs => true;

    public override void Run(Frame frame)
    {
        for (var i = 0; i < inputs.Length; i++) inputs[i] = frame.Input(Slots.Inputs[i]);
        var outputs = ScanLoop.Run(Slots.Node, inputs, step, Interrupts.Token,
            (q, shape) => frame.Output(Slots.Outputs[q], shape), workspace);
        for (var i = 0; i < outputs.Length; i++) frame.Set(Slots.Outputs[i], outputs[i]);
        Array.Clear(inputs);
    }
}
