namespace Theon.Tests.Walkthroughs;

/// <summary>The walkthroughs' assertion, as the notebooks define it.</summary>
internal static class Walkthrough
{
    public static void Check(bool condition, string message) => Assert.True(condition, message);
}
