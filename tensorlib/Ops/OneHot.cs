namespace Theon.Ops;

/// <summary>The checks the one-hot cross-entropy ops share.</summary>
internal static class OneHot
{
    public static void CheckLogits(string op, Variable x)
    {
        if (x.ndim != 2 || !x.type.dtype.IsFloat)
            throw new ArgumentException($"{op} takes a float matrix, got {x} of type {x.type}.");
    }

    public static void CheckLabels(string op, Variable y)
    {
        if (y.ndim != 1 || !y.type.dtype.IsInteger)
            throw new ArgumentException($"{op} takes an integer vector of labels, got {y} of type {y.type}.");
    }

    /// <summary><c>arange(n)</c> for the rows of <paramref name="x"/>, after checking the labels against its
    /// shape.</summary>
    public static NDArray Rows(string op, NDArray x, NDArray y)
    {
        var (rows, classes) = (x.shape[0], x.shape[1]);
        if (y.ndim != 1 || y.shape[0] != rows)
            throw new ArgumentException(
                $"{op}: labels of shape {NDArray.ShapeString(y.shape)} do not match {rows} rows of shape " +
                $"{NDArray.ShapeString(x.shape)}.");
        foreach (var label in y.astype(DType.Int64).ToFlatArray<long>())
        {
            if (label < 0 || label >= classes)
                throw new ArgumentException(
                    $"{op}: label {label} is outside [0, {classes}) for shape {NDArray.ShapeString(x.shape)}.");
        }
        return NDArray.FromArray(Enumerable.Range(0, rows).Select(i => (long)i).ToArray());
    }
}
