namespace Theon.Values;

internal static partial class ArrayMath
{
    /// <summary>
    /// The shape <c>a[i0, i1, ...]</c> would have, after checking every index against <paramref name="a"/>'s shape
    /// (an <see cref="IndexOutOfRangeException"/> as <see cref="Take"/> raises), without reading or copying a.
    /// </summary>
    public static int[] IndexedShape(NDArray a, NDArray[] indices) => IndexPlan.Create(a, indices).ResultShape;

    /// <summary>
    /// numpy's <c>target[i0, i1, ...] = values</c> on a contiguous target: the selected blocks written in index order,
    /// so of repeated positions the last value wins, as numpy does.
    /// </summary>
    public static void SetAt(NDArray target, NDArray[] indices, NDArray values)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsContiguous)
            throw new ArgumentException("set at indices: the target must be contiguous.", nameof(target));
        var (plan, source) = Scattered("set at indices", target, indices, values);
        var block = plan.BlockSize;
        for (var j = 0; j < plan.BaseOffsets.Length; j++)
            Array.Copy(source.Buffer, source.Offset + (long)j * block, target.Buffer, target.Offset + plan.BaseOffsets[j],
                block);
    }
}
