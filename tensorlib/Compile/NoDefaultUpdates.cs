namespace Theon;

/// <summary>
/// The <c>no_default_updates</c> argument of <c>function</c>, as in Theano: <c>true</c> skips every default update,
/// an array of shared variables skips theirs; the default (<c>false</c>) applies them all.
/// </summary>
public readonly struct NoDefaultUpdates
{
    private readonly bool all;
    private readonly SharedVariable[]? some;

    private NoDefaultUpdates(bool all, SharedVariable[]? some) => (this.all, this.some) = (all, some);

    public static implicit operator NoDefaultUpdates(bool all) => new(all, null);

    public static implicit operator NoDefaultUpdates(SharedVariable[] some) => new(false, some);

    internal bool Skips(SharedVariable v) => all || (some?.Contains(v) ?? false);
}
