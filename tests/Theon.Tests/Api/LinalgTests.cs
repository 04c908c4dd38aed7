using Theon.Tests.Gradient;
using static Theon.T;

namespace Theon.Tests.TensorApi;

/// <summary>outer, tensordot, batched_dot, diag, trace, nlinalg.matrix_inverse and nlinalg.det against numpy.</summary>
public class LinalgTests : FixtureCaseTests<LinalgTests>, IFixtureCases
{
    public static IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; } = new Dictionary<string, Func<Variable[], Variable>>
    {
        ["outer"] = x => outer(x[0], x[1]),
        ["outer_flattens"] = x => outer(x[0], x[1]),
        ["tensordot_2"] = x => tensordot(x[0], x[1]),
        ["tensordot_0"] = x => tensordot(x[0], x[1], 0),
        ["tensordot_pairs"] = x => tensordot(x[0], x[1], [0, -1], [1, 0]),
        ["tensordot_all"] = x => tensordot(x[0], x[1], 3),
        ["batched_dot_33"] = x => batched_dot(x[0], x[1]),
        ["batched_dot_32"] = x => batched_dot(x[0], x[1]),
        ["batched_dot_23"] = x => batched_dot(x[0], x[1]),
        ["batched_dot_22"] = x => batched_dot(x[0], x[1]),
        ["batched_dot_vector"] = x => batched_dot(x[0], x[1]),
        ["diag_vector"] = x => diag(x[0]),
        ["diag_vector_k1"] = x => diag(x[0], 1),
        ["diag_vector_k_minus2"] = x => diag(x[0], -2),
        ["diag_matrix"] = x => diag(x[0]),
        ["diag_matrix_k2"] = x => diag(x[0], 2),
        ["diag_matrix_k_minus1"] = x => diag(x[0], -1),
        ["diag_matrix_k_beyond"] = x => diag(x[0], 7),
        ["trace"] = x => trace(x[0]),
        ["matrix_inverse"] = x => nlinalg.matrix_inverse(x[0]),
        ["det"] = x => nlinalg.det(x[0]),
        ["det_float32"] = x => nlinalg.det(x[0]),
        ["det_needs_pivoting"] = x => nlinalg.det(x[0]),
        ["inverse_needs_pivoting"] = x => nlinalg.matrix_inverse(x[0]),
    };

    public static string[] OnDevice => ["outer", "tensordot_pairs", "batched_dot_33", "diag_vector_k1", "diag_matrix_k_minus1", "matrix_inverse", "det"];

    [Fact]
    public void Gradients()
    {
        var p = new GradientPoints(51);
        verify_grad(v => outer(v[0], v[1]), [p.Normal(3), p.Normal(2)]);
        verify_grad(v => tensordot(v[0], v[1], [1, 2], [2, 0]), [p.Normal(2, 3, 4), p.Normal(4, 2, 3)]);
        verify_grad(v => batched_dot(v[0], v[1]), [p.Normal(2, 3, 4), p.Normal(2, 4, 2)]);
        verify_grad(v => batched_dot(v[0], v[1]), [p.Normal(2, 3), p.Normal(2, 3, 2)]);
        verify_grad(v => diag(v[0], -1), [p.Normal(3)]);
        verify_grad(v => diag(v[0], 1), [p.Normal(3, 4)]);
        verify_grad(v => trace(v[0]), [p.Normal(3, 3)]);
        verify_grad(v => nlinalg.matrix_inverse(v[0]), [p.Normal(3, 3) + np.eye(3) * 3]);
        verify_grad(v => nlinalg.det(v[0]), [p.Normal(3, 3)]);
    }

    [Fact]
    public void SecondDerivativeOfTheLogDeterminant()
    {
        var p = new GradientPoints(52);
        verify_grad(v => grad(log(abs(nlinalg.det(v[0]))), v[0]), [p.Normal(3, 3) + np.eye(3) * 3]);
    }

    [Fact]
    public void NamesAndTypes()
    {
        var m = dmatrix("m");

        Assert.Equal("MatrixInverse", nlinalg.matrix_inverse(m).owner!.op.Name);
        Assert.Equal("Det", nlinalg.det(m).owner!.op.Name);
        Assert.Equal(0, nlinalg.det(m).ndim);
        Assert.Equal("float32", nlinalg.matrix_inverse(fmatrix("f")).type.dtype.Name);
        Assert.Equal(3, tensordot(dtensor3("a"), dtensor4("b"), 2).ndim);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var m = dmatrix("m");

        Assert.Contains("must be square", Assert.Throws<ArgumentException>(() => function([m], nlinalg.det(m))(np.ones(2, 3))).Message);
        Assert.Contains("singular", Assert.Throws<ArgumentException>(() => function([m], nlinalg.matrix_inverse(m))(np.ones(2, 2))).Message);
        Assert.Contains("floats", Assert.Throws<ArgumentException>(() => nlinalg.det(imatrix("i"))).Message);
        Assert.Contains("matrix", Assert.Throws<ArgumentException>(() => nlinalg.matrix_inverse(dvector("v"))).Message);
        Assert.Contains("3 axes", Assert.Throws<ArgumentException>(() => tensordot(m, m, 3)).Message);
        Assert.Contains("in pairs", Assert.Throws<ArgumentException>(() => tensordot(m, m, [0], [0, 1])).Message);
        Assert.Contains("batch axis", Assert.Throws<ArgumentException>(() => batched_dot(dscalar("s"), m)).Message);
        Assert.Contains("vector or a matrix", Assert.Throws<ArgumentException>(() => diag(dtensor3("t"))).Message);
    }
}
