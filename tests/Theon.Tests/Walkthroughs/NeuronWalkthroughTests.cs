using static Theon.T;
using static Theon.Tests.Walkthroughs.Walkthrough;

namespace Theon.Tests.Walkthroughs;

/// <summary>shared/walkthroughs/02-neuron.csx and 03-xnor.csx, spelled as in the files (without their plots).</summary>
public class NeuronWalkthroughTests
{
    private static readonly double[][] Inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];

    [Fact]
    public void StepNeuronComputesAnd()
    {
        var x = vector("x");
        var w = vector("w");
        var b = scalar("b");
        var z = dot(x, w) + b;
        var a = ifelse(lt(z, 0), 0, 1);
        var neuron = function([x, w, b], a);
        double[] weights = [1, 1];
        var bias = -1.5;
        var expected = new[] { 0, 0, 0, 1 };
        for (var i = 0; i < Inputs.Length; i++)
        {
            var output = neuron(Inputs[i], weights, bias);
            Check((double)output == expected[i], "AND gate");
        }
    }

    [Fact]
    public void StepNeuronWithSharedWeights()
    {
        var x = vector("x");
        var w = shared(new double[] { 1, 1 }, name: "w");
        var b = shared(-1.5, name: "b");
        var z = dot(x, w) + b;
        var a = ifelse(lt(z, 0), 0, 1);
        var neuron = function([x], a);
        Check(Inputs.Select(t => (double)neuron(t)).SequenceEqual(new double[] { 0, 0, 0, 1 }), "AND gate with shared weights");
    }

    [Fact]
    public void SigmoidNeuronLearnsAnd()
    {
        var rng = new Random(1);
        var x = matrix("x");
        var w = shared(new[] { rng.NextDouble(), rng.NextDouble() }, name: "w");
        var b = shared(1.0, name: "b");
        var learning_rate = 0.01;
        var z = dot(x, w) + b;
        var a = 1 / (1 + exp(-z));
        var a_hat = vector("a_hat");
        var cost = -(a_hat * log(a) + (1 - a_hat) * log(1 - a)).sum();
        var (dw, db) = grad(cost, [w, b]);
        var train = function(
            inputs: [x, a_hat],
            outputs: [a, cost],
            updates: [(w, w - learning_rate * dw), (b, b - learning_rate * db)]);

        double[,] data = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        double[] targets = [0, 0, 0, 1];
        var costs = new List<double>();
        NDArray pred = null!;
        for (var iteration = 0; iteration < 30000; iteration++)
        {
            (pred, var c) = train(data, targets);
            costs.Add((double)c);
        }
        Check(Enumerable.Range(0, 4).All(i => Math.Abs((double)pred[i] - targets[i]) < 0.2), "the neuron learned AND");
        Check(costs[^1] < costs[0] / 4, "the cost went down");
    }

    [Fact]
    public void TwoLayerNetworkLearnsXnor()
    {
        var rng = new Random(2);
        double r() => rng.NextDouble();

        var x = matrix("x");
        var w1 = shared(new[] { r(), r() }, name: "w1");
        var w2 = shared(new[] { r(), r() }, name: "w2");
        var w3 = shared(new[] { r(), r() }, name: "w3");
        var b1 = shared(1.0, name: "b1");
        var b2 = shared(1.0, name: "b2");
        var learning_rate = 0.01;

        var a1 = 1 / (1 + exp(-dot(x, w1) - b1));
        var a2 = 1 / (1 + exp(-dot(x, w2) - b1));
        var x2 = stack([a1, a2], axis: 1);
        var a3 = 1 / (1 + exp(-dot(x2, w3) - b2));

        var a_hat = vector("a_hat");
        var cost = -(a_hat * log(a3) + (1 - a_hat) * log(1 - a3)).sum();
        var (dw1, dw2, dw3, db1, db2) = grad(cost, [w1, w2, w3, b1, b2]);
        var train = function(
            inputs: [x, a_hat],
            outputs: [a3, cost],
            updates: [
                (w1, w1 - learning_rate * dw1),
                (w2, w2 - learning_rate * dw2),
                (w3, w3 - learning_rate * dw3),
                (b1, b1 - learning_rate * db1),
                (b2, b2 - learning_rate * db2),
            ]);

        double[,] inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        double[] outputs = [1, 0, 0, 1];
        var costs = new List<double>();
        NDArray pred = null!;
        for (var iteration = 0; iteration < 30000; iteration++)
        {
            (pred, var c) = train(inputs, outputs);
            costs.Add((double)c);
        }
        Check(Enumerable.Range(0, 4).All(i => Math.Round((double)pred[i]) == outputs[i]), "the network learned XNOR");
        Check(costs[^1] < costs[0], "the cost went down");
    }
}
