namespace Theon.Ops;

/// <summary>
/// <see cref="IncSubtensor"/> and <see cref="AdvancedIncSubtensor"/> in two halves, so that an update
/// <c>(W, inc_subtensor(W[idx], y))</c> can run in place and still change nothing when the call fails: <see cref="Check"/>
/// does everything that can fail (the indices against W's shape, y against the selection), before any shared variable
/// is touched; <see cref="Write"/> then changes W's own buffer and cannot fail. <see cref="Op.Perform"/> is the two on a
/// copy of x.
/// </summary>
internal interface IInPlaceIncrement
{
    bool SetInstead { get; }

    /// <summary>Checks y (<c>operands[0]</c>) and the indices (the rest) against x; the selected part's shape.</summary>
    int[] Check(Apply node, NDArray x, ReadOnlySpan<NDArray> operands);

    /// <summary>Adds (or writes) y into the selected part of x, in place; the operands passed
    /// <see cref="Check"/>.</summary>
    void Write(NDArray x, ReadOnlySpan<NDArray> operands);
}
