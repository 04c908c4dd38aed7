using static Theon.T;
using static Theon.Tests.Walkthroughs.Walkthrough;

namespace Theon.Tests.Walkthroughs;

/// <summary>shared/walkthroughs/06-dynamic-depth.csx, spelled as in the file. It changes global config, so it runs alone.</summary>
[Collection(nameof(GlobalConfig))]
public class DynamicDepthWalkthroughTests
{
    static FunctionN compile(int input_size, int[] hidden_sizes, int output_size, double reg_lambda, double learning_rate)
    {
        var ws = new List<SharedVariable>();
        var bs = new List<SharedVariable>();
        var x = matrix("x");
        x.tag.test_value = np.random.standard_normal(2, input_size).astype(config.floatX);
        var previous_size = input_size;
        Variable h = x;
        foreach (var hidden_size in hidden_sizes)
        {
            var w = shared(np.random.standard_normal(previous_size, hidden_size).astype(config.floatX));
            var b = shared(np.zeros(hidden_size).astype(config.floatX));
            h = tanh(dot(h, w) + b);
            ws.Add(w);
            bs.Add(b);
            previous_size = hidden_size;
        }
        var wo = shared(np.random.standard_normal(previous_size, output_size).astype(config.floatX));
        var bo = shared(np.zeros(output_size).astype(config.floatX));
        var y = nnet.softmax(dot(h, wo) + bo);
        ws.Add(wo);
        bs.Add(bo);
        var z = ivector("z");
        z.tag.test_value = np.random.randint(0, output_size, 2).astype("int32");
        var cost = nnet.categorical_crossentropy(y, z).mean();
        foreach (var (w, b) in ws.Zip(bs))
        {
            cost += sum(pow(w, 2)) * reg_lambda;
            cost += sum(pow(b, 2)) * reg_lambda;
        }
        var updates = ws.Concat(bs).Select(p => (p, p - learning_rate * grad(cost, p))).ToList();
        return function([x, z], outputs: [cost], updates: updates);
    }

    [Fact]
    public void DepthChosenAtRunTimeAndTestValuesRaise()
    {
        config.compute_test_value = "raise";
        try
        {
            np.random.seed(0);
            var train = compile(10, [8, 6, 4, 8, 16], 32, 0.1, 0.01);

            var xb = np.random.standard_normal(64, 10).astype(config.floatX);
            var zb = np.random.randint(0, 32, 64).astype("int32");
            var first = (double)train(xb, zb)[0];
            double last = first;
            for (var i = 0; i < 50; i++) last = (double)train(xb, zb)[0];
            Check(last < first, "the regularized cost decreases");

            try
            {
                var bad = matrix("bad");
                bad.tag.test_value = np.random.standard_normal(2, 3);
                var wrong = dot(bad, shared(np.random.standard_normal(4, 5)));
                Check(false, "a (2,3)·(4,5) product must raise while building");
            }
            catch (ArgumentException e) { Check(e.Message.Contains("(2, 3)") && e.Message.Contains("(4, 5)"), "the message shows both shapes"); }

            var ints = ivector("ints");
            Assert.Throws<ArgumentException>(() => ints.tag.test_value = np.random.randint(0, 3, 2));
        }
        finally
        {
            config.compute_test_value = "off";
        }
    }
}

[CollectionDefinition(nameof(GlobalConfig), DisableParallelization = true)]
public sealed class GlobalConfig;
