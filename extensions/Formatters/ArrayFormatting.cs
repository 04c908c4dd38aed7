using System.Globalization;
using Theon.Interactive.Arrays;

namespace Theon.Interactive.Formatters;

/// <summary>
/// Theon's <see cref="NDArray"/>, <see cref="SharedVariable"/> and <see cref="Constant"/> as HTML tables.
/// </summary>
internal static class ArrayFormatting
{
    public static string Html(NDArray array, string? name = null) => ArrayTable.Render(View(array), name);

    public static string SharedHtml(SharedVariable shared)
    {
        var value = shared.get_value(borrow: true);
        var name = Interactive.Html.Text(shared.name ?? "(unnamed)");
        var type = Interactive.Html.Text(shared.type.ToString());
        return $"""
            <div class="theon-shared">
            <div style="font-family:monospace;margin-bottom:4px;">shared variable <b>{name}</b> : {type}</div>
            {ArrayTable.Render(View(value))}</div>
            """;
    }

    public static string SharedText(SharedVariable shared) =>
        $"shared variable {shared.name ?? "(unnamed)"} : {shared.type}\n{shared.get_value(borrow: true)}";

    internal static ArrayView View(NDArray array)
    {
        var shape = array.shape;
        var dtype = array.DType;
        // Small arrays are read once; a summarised one reads only the elements it shows.
        Func<long, string> element;
        if (array.size <= ArrayTable.Threshold)
        {
            if (dtype.IsBool)
            {
                var flags = array.ToFlatArray<bool>();
                element = i => flags[i] ? "True" : "False";
            }
            else
            {
                var values = array.ToFlatArray<double>();
                element = i => Number(values[i], dtype);
            }
        }
        else
        {
            element = i => dtype.IsBool
                ? (array.GetItem<bool>(Unravel(i, shape)) ? "True" : "False")
                : Number(array.GetItem<double>(Unravel(i, shape)), dtype);
        }
        return new ArrayView(shape, array.dtype, element);
    }

    internal static string Number(double value, DType dtype)
    {
        if (!dtype.IsFloat) return value.ToString("R", CultureInfo.InvariantCulture);
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var magnitude = Math.Abs(value);
        if (value == 0 || (magnitude >= 1e-4 && magnitude < 1e8))
        {
            var text = value.ToString(dtype.ItemSize == 4 ? "0.######" : "0.########", CultureInfo.InvariantCulture);
            return text.Contains('.') ? text : text + ".";
        }
        return value.ToString("0.#####e+00", CultureInfo.InvariantCulture);
    }

    private static int[] Unravel(long flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = (int)(flat % shape[axis]);
            flat /= shape[axis];
        }
        return index;
    }
}
