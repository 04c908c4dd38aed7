using System.IO.Compression;
using static Theon.T;
using static Theon.Tests.Walkthroughs.Walkthrough;

namespace Theon.Tests.Walkthroughs;

/// <summary>
/// shared/walkthroughs/05-logistic-regression.csx, spelled as in the file, on a small synthetic data set written
/// in MNIST's IDX format (ten classes, each a noisy copy of its own random template).
/// </summary>
[Collection(nameof(GlobalConfig))]
public class LogisticRegressionWalkthroughTests
{
    class LogisticRegression
    {
        public readonly SharedVariable W, b;
        public readonly Variable p_y_given_x, y_pred, input;
        public readonly SharedVariable[] @params;

        public LogisticRegression(Variable input, int n_in, int n_out)
        {
            W = shared(np.zeros(n_in, n_out).astype(config.floatX), name: "W", borrow: true);
            b = shared(np.zeros(n_out).astype(config.floatX), name: "b", borrow: true);
            p_y_given_x = nnet.softmax(dot(input, W) + b);
            y_pred = argmax(p_y_given_x, axis: 1);
            @params = [W, b];
            this.input = input;
        }

        public Variable negative_log_likelihood(Variable y) => -mean(log(p_y_given_x)[arange(y.shape[0]), y]);

        public Variable errors(Variable y)
        {
            if (y.ndim != y_pred.ndim) throw new ArgumentException($"y should have the same shape as y_pred ({y.type} vs {y_pred.type})");
            return mean(neq(y_pred, y));
        }
    }

    [Fact]
    public void SoftmaxRegressionWithGivensAndEarlyStopping()
    {
        var dataDir = SyntheticMnist.Write(train: 3000, test: 1200, seed: 7);
        var ((train_x, train_y), (valid_x, valid_y), (test_x, test_y)) = Datasets.load_mnist(dataDir, validation: 1200);
        var train_set_x = shared(train_x, borrow: true); var train_set_y = shared(train_y, borrow: true);
        var valid_set_x = shared(valid_x, borrow: true); var valid_set_y = shared(valid_y, borrow: true);
        var test_set_x = shared(test_x, borrow: true);   var test_set_y = shared(test_y, borrow: true);

        var learning_rate = 0.13;
        var n_epochs = 30;
        var batch_size = 600;
        var n_train_batches = train_x.shape[0] / batch_size;
        var n_valid_batches = valid_x.shape[0] / batch_size;
        var n_test_batches = test_x.shape[0] / batch_size;

        var index = lscalar("index");
        var x = matrix("x");
        var y = ivector("y");
        var classifier = new LogisticRegression(input: x, n_in: 28 * 28, n_out: 10);
        var cost = classifier.negative_log_likelihood(y);

        Variable batch(Variable data) => data[slice(index * batch_size, (index + 1) * batch_size)];
        var test_model = function([index], classifier.errors(y),
            givens: [(x, batch(test_set_x)), (y, batch(test_set_y))]);
        var validate_model = function([index], classifier.errors(y),
            givens: [(x, batch(valid_set_x)), (y, batch(valid_set_y))]);

        var g_W = grad(cost: cost, wrt: classifier.W);
        var g_b = grad(cost: cost, wrt: classifier.b);
        var train_model = function([index], cost,
            updates: [(classifier.W, classifier.W - learning_rate * g_W), (classifier.b, classifier.b - learning_rate * g_b)],
            givens: [(x, batch(train_set_x)), (y, batch(train_set_y))]);

        var patience = 5000;
        var patience_increase = 2;
        var improvement_threshold = 0.995;
        var validation_frequency = Math.Min(n_train_batches, patience / 2);
        var best_validation_loss = double.PositiveInfinity;
        var test_score = 0.0;
        var done_looping = false;
        var first_cost = double.NaN;
        foreach (var epoch in Enumerable.Range(1, n_epochs))
        {
            for (var minibatch_index = 0; minibatch_index < n_train_batches; minibatch_index++)
            {
                var minibatch_avg_cost = (double)train_model(minibatch_index);
                if (double.IsNaN(first_cost)) first_cost = minibatch_avg_cost;
                var iter = (epoch - 1) * n_train_batches + minibatch_index;
                if ((iter + 1) % validation_frequency == 0)
                {
                    var this_validation_loss = Enumerable.Range(0, n_valid_batches).Average(i => (double)validate_model(i));
                    if (this_validation_loss < best_validation_loss)
                    {
                        if (this_validation_loss < best_validation_loss * improvement_threshold)
                            patience = Math.Max(patience, iter * patience_increase);
                        best_validation_loss = this_validation_loss;
                        test_score = Enumerable.Range(0, n_test_batches).Average(i => (double)test_model(i));
                    }
                }
                if (patience <= iter) { done_looping = true; break; }
            }
            if (done_looping) break;
        }
        Check(Math.Abs(first_cost - Math.Log(10)) < 1e-9, "with zero weights the first cost is log(10)");
        Check(best_validation_loss < 0.05, $"the classes are learned (validation error {best_validation_loss:P1})");
        Check(test_score < 0.05, $"and generalise (test error {test_score:P1})");
    }
}

/// <summary>Writes a small MNIST-format data set (gzipped IDX files) for the loader and the training code.</summary>
internal static class SyntheticMnist
{
    public static string Write(int train, int test, int seed)
    {
        var random = new Random(seed);
        var templates = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 784).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var directory = Directory.CreateTempSubdirectory("theon-mnist-").FullName;
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var labels = Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray();
            var pixels = labels.SelectMany(label => templates[label].Select(p => (byte)Math.Clamp(255 * (0.6 * p + 0.4 * random.NextDouble()), 0, 255))).ToArray();
            WriteIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 2051, [count, 28, 28], pixels);
            WriteIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 2049, [count], labels);
        }
        return directory;
    }

    private static void WriteIdx(string path, int magic, int[] dims, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        foreach (var value in dims.Prepend(magic))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, value);
            gzip.Write(word);
        }
        gzip.Write(data);
    }
}
