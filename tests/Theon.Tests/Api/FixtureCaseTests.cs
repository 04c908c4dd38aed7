namespace Theon.Tests.TensorApi;

/// <summary>A test class whose cases are expressions over the inputs of fixtures in api_fixtures.json.</summary>
public interface IFixtureCases
{
    /// <summary>The expression of each case, by the fixture's name.</summary>
    static abstract IReadOnlyDictionary<string, Func<Variable[], Variable>> Builders { get; }

    /// <summary>The cases also run on the CUDA backend (the emulated device here, a GPU where there is one).</summary>
    static abstract string[] OnDevice { get; }
}

/// <summary>Every case against its fixture on the CPU and reference backends, a sample on the CUDA backend.</summary>
public abstract class FixtureCaseTests<TSelf> where TSelf : IFixtureCases
{
    public static TheoryData<string, string> Cases => ApiFixtures.OnCpuAndReference(TSelf.Builders.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheFixture(string name, string backend) => ApiFixtures.Check(name, TSelf.Builders[name], backend);

    [Theory]
    [MemberData(nameof(Cases))]
    public void InferredShapeIsTheFixtures(string name, string backend) =>
        ApiFixtures.CheckShape(name, TSelf.Builders[name], backend);

    /// <summary>The CUDA backend runs ops without device kernels on the host, between device steps.</summary>
    [Theory]
    [InlineData("emulated")]
    [InlineData("cuda")]
    public void CudaBackendMatchesTheFixture(string backend) => ApiFixtures.CheckAll(backend, TSelf.Builders, TSelf.OnDevice);
}
