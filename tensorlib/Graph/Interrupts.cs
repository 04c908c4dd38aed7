namespace Theon;

/// <summary>
/// Where a host (a notebook kernel) asks running computations to stop: compiled functions, and the loops of ops
/// whose reference implementation runs an inner graph (scan), read it.
/// </summary>
public static class Interrupts
{
    public static CancellationToken Token { get; set; }
}
