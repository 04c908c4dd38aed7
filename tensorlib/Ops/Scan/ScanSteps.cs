namespace Theon.Ops;

/// <summary>How <see cref="ScanLoop"/> runs one step: the results may live in buffers the next step reuses, so the
/// loop copies them out first.</summary>
internal interface IScanStep
{
    void Run(NDArray[] innerInputs, NDArray[] results, CancellationToken cancellation);
}

/// <summary>The reference step: the inner graph interpreted by <see cref="InnerGraph.Run"/>, unoptimized.</summary>
internal sealed class InterpretedStep(InnerGraph graph) : IScanStep
{
    public void Run(NDArray[] innerInputs, NDArray[] results, CancellationToken cancellation) =>
        graph.Run(innerInputs, cancellation).CopyTo(results, 0);
}
