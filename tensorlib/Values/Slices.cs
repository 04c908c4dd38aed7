namespace Theon.Values;

/// <summary>Python's <c>slice.indices</c>, for every array that slices (host and device).</summary>
internal static class Slices
{
    /// <summary>The first index and the element count of <c>[start:stop:step]</c> over an axis of length
    /// <paramref name="n"/>: negative indices count from the end, then clamp to the axis.</summary>
    public static (int First, int Count) Resolve(int n, int? start, int? stop, int step)
    {
        if (step == 0) throw new ArgumentException("slice step cannot be zero", nameof(step));
        int first, last;
        if (step > 0)
        {
            first = Clamp(start ?? 0, n, 0, n);
            last = Clamp(stop ?? n, n, 0, n);
        }
        else
        {
            first = Clamp(start ?? n - 1, n, -1, n - 1);
            last = stop is null ? -1 : Clamp(stop.Value, n, -1, n - 1);
        }
        var count = step > 0
            ? Math.Max(0, (last - first + step - 1) / step)
            : Math.Max(0, (first - last - step - 1) / -step);
        return (first, count);
    }

    private static int Clamp(int index, int n, int low, int high)
    {
        if (index < 0) index += n;
        return Math.Min(Math.Max(index, low), high);
    }
}

/// <summary>An array that slices into views: host arrays and device arrays, so that one indexing plan serves
/// both.</summary>
public interface ISliceable<TSelf> where TSelf : ISliceable<TSelf>
{
    int Length(int axis);

    TSelf Slice(int axis, int? start, int? stop, int step);

    /// <summary>The view without <paramref name="axis"/>, which has length 1.</summary>
    TSelf Squeezed(int axis);
}
