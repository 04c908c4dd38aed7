using Theon.Backends.Cuda.Codegen;
using Theon.Ops.Random;

namespace Theon.Backends.Cuda.Runtime;

/// <summary>
/// The device rows of the random draws (<see cref="PhiloxKernels"/>): uniform in float32 and float64 and Bernoulli
/// masks (binomial with a constant n = 1, float32), with constant scalar parameters. Other draws run their
/// <c>Perform</c> on the host. The size is read on the host (a <c>Shape</c> or a constant); the state stays on the
/// device, read and advanced by the kernel.
/// </summary>
internal static class RandomDraws
{
    public static bool Runs(Apply node) =>
        node.inputs.Skip(2).All(v => v is Constant { data.size: 1 }) && node.op switch
        {
            Uniform u => u.DType.IsFloat,
            Binomial b => b.DType == DType.Float32 && node.inputs[2] is Constant { ScalarValue: 1 }
                && node.inputs[3] is Constant { ScalarValue: >= 0 and <= 1 },
            _ => false,
        };

    public static DeviceArray[] Run(Apply node, IOperands x, CallContext c)
    {
        var op = (RandomOp)node.op;
        var shape = op.Shape(node, x.Host(1));
        var parameters = node.inputs.Skip(2).Select(v => ((Constant)v).ScalarValue!.Value).ToArray();
        var sample = c.Output(node.outputs[1], op.DType, shape);
        var next = c.Output(node.outputs[0], DType.Int64, [2]);
        var (name, arguments) = op switch
        {
            Uniform { DType.Name: "float32" } => (PhiloxKernels.UniformSingle, parameters),
            Uniform => (PhiloxKernels.UniformDouble, parameters),
            _ => (PhiloxKernels.BernoulliSingle, parameters[1..]),
        };
        c.Launcher.Philox(name, x[0], next, sample, arguments);
        return [next, sample];
    }
}
