namespace Theon.Tests.TensorApi;

/// <summary>docs/api.md is what <see cref="ApiReference"/> renders from the code now.</summary>
public class ApiReferenceTests
{
    private static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docs", "ARCHITECTURE.md"))) return Path.Combine(dir.FullName, "docs", "api.md");
        }
        throw new DirectoryNotFoundException("no docs/ARCHITECTURE.md above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void DocsApiMdIsUpToDate()
    {
        var rendered = ApiReference.Render();
        var path = DocPath();
        if (Environment.GetEnvironmentVariable("THEON_WRITE_API_DOC") == "1") File.WriteAllText(path, rendered);

        var stale = !File.Exists(path) || File.ReadAllText(path).ReplaceLineEndings("\n") != rendered.ReplaceLineEndings("\n");

        Assert.False(stale, "docs/api.md is stale: regenerate it with THEON_WRITE_API_DOC=1 tests/Theon.Tests/bin/Release/net10.0/" +
            "Theon.Tests -class Theon.Tests.TensorApi.ApiReferenceTests");
    }

    [Fact]
    public void EveryNameOfTheIssueIsListed()
    {
        var page = ApiReference.Render();
        string[] names =
        [
            "T.set_subtensor", "T.inc_subtensor", "T.var", "T.std", "T.max_and_argmax", "T.all", "T.any", "T.cumsum", "T.cumprod",
            "T.sort", "T.argsort", "T.logsumexp", "T.jacobian", "T.hessian", "T.zero_grad", "T.disconnected_grad", "T.Lop", "T.Rop",
            "T.nnet.elu", "T.nnet.selu", "T.nnet.hard_sigmoid", "T.nnet.ultra_fast_sigmoid", "T.nnet.logsoftmax",
            "T.nnet.sigmoid_binary_crossentropy", "T.nnet.batch_normalization_train", "T.split", "T.tile", "T.repeat", "T.roll",
            "T.shape_padleft", "T.shape_padright", "T.addbroadcast", "T.unbroadcast", "T.patternbroadcast", "T.alloc",
            "T.identity_like", "T.squeeze", "T.nonzero", "T.mgrid", "T.ogrid", "T.outer", "T.tensordot", "T.batched_dot", "T.diag",
            "T.trace", "T.nlinalg.matrix_inverse", "T.nlinalg.det", "T.erf", "T.erfc", "T.erfinv", "T.gamma", "T.gammaln", "T.psi",
            "T.isclose", "T.allclose", "T.join", "T.as_tensor_variable",
        ];
        Assert.All(names, name => Assert.Contains($"| `{name}` |", page));
        Assert.Contains("| `T.grad` | `(cost, wrt, disconnected_inputs = \"raise\", consider_constant = null, known_grads = null)`", page);
        Assert.Contains("`theano.gradient.jacobian`", page);
        Assert.Contains("`theano.tensor.nlinalg.det`", page);
    }
}
