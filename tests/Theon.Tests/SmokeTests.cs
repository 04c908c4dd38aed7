namespace Theon.Tests;

public class SmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.Equal("Theon", typeof(T).Assembly.GetName().Name);
}
