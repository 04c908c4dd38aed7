namespace Theon.Backends.Cuda.Runtime;

/// <summary>Runs one plan step on device values, recording the arrays it makes.</summary>
public static class PlanRunner
{
    public static void Execute(PlanStep step, Dictionary<Variable, DeviceArray> values, CallContext context)
    {
        switch (step)
        {
            case PlanStep.Fused fused:
                var arguments = fused.Inputs.Select(v => values[v]).ToArray();
                var shape = DeviceOps.ElementwiseShape(fused.Nodes[0], fused.Inputs, arguments);
                var outputs = context.Kernels.Elementwise(fused.Graph, arguments, shape);
                foreach (var (v, a) in fused.Outputs.Zip(outputs)) values[v] = context.Track(a);
                break;
            case PlanStep.Single single:
                var results = DeviceOps.Run(single.Node, [.. single.Node.inputs.Select(v => values[v])], context);
                foreach (var (v, a) in single.Node.outputs.Zip(results)) values[v] = a;
                break;
        }
    }
}
