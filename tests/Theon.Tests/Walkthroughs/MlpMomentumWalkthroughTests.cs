using static Theon.T;
using static Theon.Tests.Walkthroughs.Walkthrough;

namespace Theon.Tests.Walkthroughs;

/// <summary>shared/walkthroughs/04-mlp-momentum.csx, spelled as in the file (without its plots).</summary>
[Collection(nameof(GlobalConfig))]
public class MlpMomentumWalkthroughTests
{
    class Layer
    {
        public readonly SharedVariable W, b;
        public readonly Func<Variable, Variable>? activation;
        public readonly SharedVariable[] @params;

        public Layer(NDArray W_init, NDArray b_init, Func<Variable, Variable>? activation)
        {
            var (n_output, n_input) = (W_init.shape[0], W_init.shape[1]);
            if (b_init.shape.Length != 1 || b_init.shape[0] != n_output)
                throw new ArgumentException($"b_init must have shape ({n_output},)");
            W = shared(W_init.astype(config.floatX), name: "W", borrow: true);
            b = shared(b_init.reshape(n_output, 1).astype(config.floatX), name: "b", borrow: true,
                       broadcastable: [false, true]);
            this.activation = activation;
            @params = [W, b];
        }

        public Variable output(Variable x)
        {
            var lin_output = dot(W, x) + b;
            return activation is null ? lin_output : activation(lin_output);
        }
    }

    class MLP
    {
        public readonly List<Layer> layers = [];
        public readonly List<SharedVariable> @params = [];

        public MLP(IList<NDArray> W_init, IList<NDArray> b_init, IList<Func<Variable, Variable>?> activations)
        {
            if (W_init.Count != b_init.Count || b_init.Count != activations.Count)
                throw new ArgumentException("one W, one b and one activation per layer");
            for (var i = 0; i < W_init.Count; i++)
                layers.Add(new Layer(W_init[i], b_init[i], activations[i]));
            foreach (var layer in layers) @params.AddRange(layer.@params);
        }

        public Variable output(Variable x)
        {
            foreach (var layer in layers) x = layer.output(x);
            return x;
        }

        public Variable squared_error(Variable x, Variable y) => sum(pow(output(x) - y, 2));
    }

    static List<(SharedVariable, Variable)> gradient_updates_momentum(
        Variable cost, IEnumerable<SharedVariable> @params, double learning_rate, double momentum)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum));
        var updates = new List<(SharedVariable, Variable)>();
        foreach (var param in @params)
        {
            var param_update = shared(param.get_value() * 0.0, broadcastable: param.broadcastable);
            updates.Add((param, param - learning_rate * param_update));
            updates.Add((param_update, momentum * param_update + (1.0 - momentum) * grad(cost, param)));
        }
        return updates;
    }

    [Fact]
    public void MlpSeparatesTwoClusters()
    {
        np.random.seed(0);
        var N = 1000;
        var labels = np.random.randint(0, 2, N);
        var X = np.random.standard_normal(2, N) * 0.8 + (labels * 2.0 - 1.0);
        var y = labels.astype(config.floatX);

        int[] layer_sizes = [2, 4, 1];
        var W_init = new List<NDArray>();
        var b_init = new List<NDArray>();
        var activations = new List<Func<Variable, Variable>?>();
        for (var i = 0; i < layer_sizes.Length - 1; i++)
        {
            W_init.Add(np.random.standard_normal(layer_sizes[i + 1], layer_sizes[i]));
            b_init.Add(np.ones(layer_sizes[i + 1]));
            activations.Add(sigmoid);
        }
        var mlp = new MLP(W_init, b_init, activations);

        var mlp_input = matrix("mlp_input");
        var mlp_target = vector("mlp_target");
        var learning_rate = 0.01;
        var momentum = 0.9;
        var cost = mlp.squared_error(mlp_input, mlp_target);
        var train = function([mlp_input, mlp_target], cost,
                             updates: gradient_updates_momentum(cost, mlp.@params, learning_rate, momentum));
        var mlp_output = function([mlp_input], mlp.output(mlp_input));
        var accuracy = function([mlp_input, mlp_target], mean(eq(gt(mlp.output(mlp_input), 0.5), mlp_target)));

        var costs = new List<double>();
        var accuracies = new List<double>();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            costs.Add((double)train(X, y));
            accuracies.Add((double)accuracy(X, y));
        }
        Check(accuracies[^1] > 0.9, "the MLP separates the clusters");
        Check(costs[^1] < costs[0], "the squared error went down");
        Assert.Equal([1, N], mlp_output(X).shape);
    }
}
