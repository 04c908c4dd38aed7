namespace Theon.Kernel;

internal static class Program
{
    public static int Main(string[] args) => Cli.Build().Parse(args).Invoke();
}
