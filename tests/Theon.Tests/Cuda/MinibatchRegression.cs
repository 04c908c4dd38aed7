using Theon.Compile;
using static Theon.T;

namespace Theon.Tests.Cuda;

/// <summary>The 05 notebook's model and train_model, on a small data set of its own.</summary>
internal sealed class MinibatchRegression
{
    public const int Rows = 240, Features = 12, Classes = 3, BatchSize = 40, Batches = Rows / BatchSize;

    public MinibatchRegression(Backend backend)
    {
        var state = np.random.RandomState(5);
        var data = shared(state.uniform(0, 1, [Rows, Features]).astype("float32"), name: "train_x", borrow: true);
        var labels = shared(state.randint(0, Classes, [Rows]).astype("int32"), name: "train_y", borrow: true);
        var (x, y, index) = (fmatrix("x"), ivector("y"), lscalar("index"));
        W = shared(np.zeros([Features, Classes], "float32"), name: "W");
        b = shared(np.zeros([Classes], "float32"), name: "b");
        var p = nnet.softmax(dot(x, W) + b);
        var cost = -mean(log(p)[arange(y.shape[0]), y]);
        Variable Batch(Variable v) => v[slice(index * BatchSize, (index + 1) * BatchSize)];
        var (gW, gb) = (grad(cost, W), grad(cost, b));
        Train = T.Compile([index], [cost], [(W, W - 0.5f * gW), (b, b - 0.5f * gb)],
            [(x, Batch(data)), (y, Batch(labels))], backend, borrow: false);
        Errors = T.Compile([index], [mean(neq(argmax(p, axis: 1), y))], null,
            [(x, Batch(data)), (y, Batch(labels))], backend, borrow: false);
    }

    public SharedVariable W { get; }
    public SharedVariable b { get; }
    public CompiledFunction Train { get; }
    public CompiledFunction Errors { get; }

    public double Step(int index) => (double)Train.Call([index])[0];
}
