using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>
/// elu, selu, hard_sigmoid, ultra_fast_sigmoid, logsoftmax, sigmoid_binary_crossentropy and batch normalization
/// against numpy's versions of Theano's definitions (tests/fixtures/make_api_fixtures.py).
/// </summary>
public class NNetTests : FixtureCaseTests<NNetTests>, IFixtureCases
{
    public static IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; } = new Dictionary<string, Func<Variable[], Variable>>
    {
        ["elu"] = x => nnet.elu(x[0]),
        ["elu_alpha"] = x => nnet.elu(x[0], alpha: 0.5),
        ["selu"] = x => nnet.selu(x[0]),
        ["hard_sigmoid"] = x => nnet.hard_sigmoid(x[0]),
        ["ultra_fast_sigmoid"] = x => nnet.ultra_fast_sigmoid(x[0]),
        ["ultra_fast_sigmoid_float32"] = x => nnet.ultra_fast_sigmoid(x[0]),
        ["logsoftmax"] = x => nnet.logsoftmax(x[0]),
        ["sigmoid_binary_crossentropy"] = x => nnet.sigmoid_binary_crossentropy(x[0], x[1]),
        ["bn_train_out"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], "spatial")[0],
        ["bn_train_mean"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], "spatial")[1],
        ["bn_train_invstd"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], new[] { 0, 2, 3 })[2],
        ["bn_train_running_mean"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], "spatial", running_mean: x[3], running_var: x[4])[3],
        ["bn_train_running_var"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], "spatial", running_mean: x[3], running_var: x[4])[4],
        ["bn_train_per_activation_out"] = x => nnet.batch_normalization_train(x[0], x[1], x[2], epsilon: 1e-3)[0],
        ["bn_train_per_activation_mean"] = x => nnet.batch_normalization_train(x[0], x[1], x[2])[1],
        ["bn_test"] = x => nnet.batch_normalization_test(x[0], x[1], x[2], x[3], x[4]),
        ["batch_normalization"] = x => nnet.batch_normalization(x[0], x[1], x[2], x[3], x[4]),
    };

    public static string[] OnDevice => ["elu", "selu", "hard_sigmoid", "ultra_fast_sigmoid", "logsoftmax", "sigmoid_binary_crossentropy", "bn_train_out"];

    [Fact]
    public void Gradients()
    {
        var p = new GradientPoints(31);
        verify_grad(v => nnet.elu(v[0], 0.7), [p.AwayFromZero(3, 4)]);
        verify_grad(v => nnet.selu(v[0]), [p.AwayFromZero(3, 4)]);
        verify_grad(v => nnet.hard_sigmoid(v[0]), [p.Uniform(-2, 2, 3, 4)]);
        verify_grad(v => nnet.logsoftmax(v[0]), [p.Normal(3, 4)]);
        verify_grad(v => nnet.sigmoid_binary_crossentropy(v[0], v[1]), [p.AwayFromZero(3, 4), p.Uniform(0, 1, 3, 4)]);
        verify_grad(v => nnet.batch_normalization_train(v[0], v[1], v[2], "spatial")[0],
            [p.Normal(3, 2, 2, 2), p.Uniform(0.5, 1.5, 1, 2, 1, 1), p.Normal(1, 2, 1, 1)]);
        verify_grad(v => nnet.batch_normalization_train(v[0], v[1], v[2])[0], [p.Normal(5, 3), p.Uniform(0.5, 1.5, 3), p.Normal(3)]);
        verify_grad(v => nnet.batch_normalization_test(v[0], v[1], v[2], v[3], v[4]),
            [p.Normal(5, 3), p.Uniform(0.5, 1.5, 3), p.Normal(3), p.Normal(3), p.Uniform(0.5, 2, 3)]);
    }

    [Fact]
    public void UltraFastSigmoidHasTheSigmoidGradientAtItsValue()
    {
        // Theano's UltraFastScalarSigmoid.grad: gz * y * (1 - y), not the slope of the approximation
        var x = dvector("x");
        var y = nnet.ultra_fast_sigmoid(x);
        var (value, gradient) = function([x], [y, grad(y.sum(), x)])(new[] { -5.0, 0.3, 8.0 });

        var ys = value.ToFlatArray<double>();
        Assert.Equal(ys.Select(v => v * (1 - v)).ToArray(), gradient.ToFlatArray<double>());
        Assert.InRange(Math.Abs(ys[1] - 1 / (1 + Math.Exp(-0.3))), 0, 0.028);
    }

    [Fact]
    public void UltraFastSigmoidFusesOnTheCpuAsTheReferenceComputes()
    {
        var x = fvector("x");
        var expression = nnet.ultra_fast_sigmoid(x) * 2 + 1;
        var values = Enumerable.Range(-80, 161).Select(i => i / 8f).ToArray();

        var cpu = function([x], expression)(values);
        var reference = function([x], expression, backend: "reference")(values);

        Assert.Equal(reference.ToFlatArray<float>(), cpu.ToFlatArray<float>());
    }

    [Fact]
    public void SigmoidBinaryCrossentropyIsFiniteWhereTheNaiveFormIsNot()
    {
        var (o, t) = (dvector("o"), dvector("t"));
        var f = function([o, t], nnet.sigmoid_binary_crossentropy(o, t));

        var value = f(new[] { 800.0, -800.0 }, new[] { 0.0, 1.0 }).ToFlatArray<double>();

        Assert.Equal(new[] { 800.0, 800.0 }, value);
    }

    [Fact]
    public void LogOfSoftmaxStillBecomesLogSoftmax()
    {
        var x = dmatrix("x");
        var f = function([x], log(nnet.softmax(x)));

        Assert.Contains("local_log_softmax", CompiledFunction.Of(f).RewritesApplied);
        Assert.Equal("LogSoftmax", nnet.logsoftmax(x).owner!.op.Name);
    }

    [Fact]
    public void BatchNormalizationTrainUpdatesRunningAveragesInAFunction()
    {
        var (runningMean, runningVar) = (shared(np.zeros(3), "running_mean"), shared(np.ones(3), "running_var"));
        var x = dmatrix("x");
        var outputs = nnet.batch_normalization_train(x, constant(np.ones(3)), constant(np.zeros(3)),
            running_average_factor: 0.5, running_mean: runningMean, running_var: runningVar);
        var f = function([x], outputs[0], updates: [(runningMean, outputs[3]), (runningVar, outputs[4])]);

        f(new[,] { { 1.0, 2, 3 }, { 3, 2, 5 } });

        // the batch mean is (2, 2, 4), the unbiased variance (2, 0, 2)
        Assert.Equal(new[] { 1.0, 1, 2 }, runningMean.get_value().ToFlatArray<double>());
        Assert.Equal(new[] { 1.5, 0.5, 1.5 }, runningVar.get_value().ToFlatArray<double>());
    }

    [Fact]
    public void BadParametersAreNamed()
    {
        var (x, v, m) = (dtensor4("x"), dvector("v"), dmatrix("m"));

        var notBroadcastable = Assert.Throws<ArgumentException>(() => nnet.batch_normalization_train(x, dtensor4("gamma"), dtensor4("beta"), "spatial"));
        Assert.Contains("gamma", notBroadcastable.Message);
        var wrongDims = Assert.Throws<ArgumentException>(() => nnet.batch_normalization_train(x, m, m, "spatial"));
        Assert.Contains("must have 4 dimensions, or 1", wrongDims.Message);
        Assert.Contains("running_var", Assert.Throws<ArgumentException>(() =>
            nnet.batch_normalization_train(x, v, v, "spatial", running_mean: v)).Message);
        Assert.Contains("axes", Assert.Throws<ArgumentException>(() => nnet.batch_normalization_test(x, v, v, v, v, "channels")).Message);
    }
}
