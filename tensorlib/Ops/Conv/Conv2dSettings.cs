using System.Globalization;

namespace Theon.Ops;

/// <summary>
/// What the three convolution ops share (Theano's <c>BaseAbstractConv</c> properties): the border mode
/// (<c>"valid"</c>, <c>"full"</c>, <c>"half"</c>, or explicit padding <c>(PadH, PadW)</c>), the stride
/// (<c>subsample</c>), whether the filters are flipped (a true convolution) and the filter dilation, plus the optional
/// shape hints <c>imshp</c> / <c>kshp</c> (null entries are unknown).
/// </summary>
public sealed record Conv2dSettings(
    string BorderMode, int PadH, int PadW, int SubsampleH, int SubsampleW, bool FilterFlip, int DilationH, int DilationW,
    Seq<int?> Imshp, Seq<int?> Kshp)
{
    public static readonly Seq<int?> Unknown = new int?[] { null, null, null, null };

    /// <summary>Checks and normalizes the arguments of <c>conv2d</c> as Theano does: (0, 0) is "valid".</summary>
    public static Conv2dSettings Create(object borderMode, (int, int) subsample, bool filterFlip, (int, int) dilation,
        IReadOnlyList<int?>? imshp, IReadOnlyList<int?>? kshp)
    {
        var (mode, ph, pw) = borderMode switch
        {
            "valid" or "full" or "half" => ((string)borderMode, 0, 0),
            int p when p >= 0 => ("explicit", p, p),
            ValueTuple<int, int> (var h, var w) when h >= 0 && w >= 0 => ("explicit", h, w),
            _ => throw new ArgumentException(
                $"conv2d: invalid border_mode {borderMode}, which must be \"valid\", \"full\", \"half\", a non-negative int or a pair of them."),
        };
        if (mode == "explicit" && ph == 0 && pw == 0) mode = "valid";
        if (subsample.Item1 < 1 || subsample.Item2 < 1)
            throw new ArgumentException($"conv2d: subsample must be positive, got {subsample}.");
        if (dilation.Item1 < 1 || dilation.Item2 < 1)
            throw new ArgumentException($"conv2d: filter_dilation must be positive, got {dilation}.");
        return new Conv2dSettings(mode, ph, pw, subsample.Item1, subsample.Item2, filterFlip, dilation.Item1, dilation.Item2,
            Hint(imshp, "input_shape"), Hint(kshp, "filter_shape"));
    }

    private static Seq<int?> Hint(IReadOnlyList<int?>? shape, string what)
    {
        if (shape is null) return Unknown;
        if (shape.Count != 4) throw new ArgumentException($"conv2d: {what} must have 4 entries, got {shape.Count}.");
        if (shape.Any(n => n is < 1))
            throw new ArgumentException($"conv2d: {what} entries must be positive or null, got {Format(shape)}.");
        return new Seq<int?>(shape);
    }

    /// <summary>The padding on each side for a filter of <paramref name="kh"/> × <paramref name="kw"/>.</summary>
    public (int H, int W) Pads(int kh, int kw) => BorderMode switch
    {
        "valid" => (0, 0),
        "full" => (DilatedH(kh) - 1, DilatedW(kw) - 1),
        "half" => (DilatedH(kh) / 2, DilatedW(kw) / 2),
        _ => (PadH, PadW),
    };

    public int DilatedH(int kh) => (kh - 1) * DilationH + 1;

    public int DilatedW(int kw) => (kw - 1) * DilationW + 1;

    /// <summary>Theano's <c>get_conv_shape_1axis</c>: (image + 2 pad - dilated filter) // stride + 1.</summary>
    public static int OutputLength(int image, int pad, int dilatedFilter, int stride) =>
        (image + 2 * pad - dilatedFilter) / stride + 1;

    /// <summary>The properties as Theano's <c>str(op)</c> prints them, after the op's name.</summary>
    public string Props
    {
        get
        {
            var border = BorderMode == "explicit" ? $"({PadH}, {PadW})" : $"'{BorderMode}'";
            return $"{{convdim=2, border_mode={border}, subsample=({SubsampleH}, {SubsampleW}), " +
                   $"filter_flip={(FilterFlip ? "True" : "False")}, imshp={Format(Imshp)}, kshp={Format(Kshp)}, " +
                   $"filter_dilation=({DilationH}, {DilationW}), num_groups=1, unshared=False}}";
        }
    }

    private static string Format(IReadOnlyList<int?> shape) =>
        $"({string.Join(", ", shape.Select(n => n?.ToString(CultureInfo.InvariantCulture) ?? "None"))})";
}
