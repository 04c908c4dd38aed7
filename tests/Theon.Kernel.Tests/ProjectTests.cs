namespace Theon.Kernel.Tests;

public class ProjectTests
{
    [Fact]
    public void Builds() => Assert.NotNull(typeof(ProjectTests).Assembly);
}
