namespace Theon.Kernel;

/// <summary>What every front end does once before running cells.</summary>
internal static class KernelStartup
{
    private static int initialized;

    public static void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1) return;
        Engine.OutputRouter.Install();
        Theon.Interactive.Extension.Load();
        Engine.VariableTable.RegisterFormatters();
    }
}
