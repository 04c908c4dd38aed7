namespace Theon.Ops;

/// <summary>
/// The sizes of one 2-d convolution at run time: the image (Batch, Channels, Height, Width), the filters
/// (Filters, Channels, KH, KW), the padding, stride and dilation, and the output (OutH, OutW). The three convolution
/// ops compute it from their inputs' shapes, checking them; the reference loops and the CPU kernels read it.
/// </summary>
public readonly record struct Conv2dGeometry(
    int Batch, int Channels, int Height, int Width, int Filters, int KH, int KW,
    int PadH, int PadW, int StrideH, int StrideW, int DilationH, int DilationW, int OutH, int OutW, bool Flip)
{
    /// <summary>The geometry of <c>conv2d(image, filters)</c>.</summary>
    public static Conv2dGeometry Forward(Conv2dSettings s, ReadOnlySpan<int> image, ReadOnlySpan<int> filters,
        Variable imageVar, Variable filtersVar)
    {
        CheckHint(s.Imshp, image, imageVar, "input_shape");
        CheckHint(s.Kshp, filters, filtersVar, "filter_shape");
        CheckChannels(image[1], filters[1], imageVar, filtersVar, image, filters);
        return Make(s, image[0], image[1], image[2], image[3], filters[0], filters[2], filters[3], imageVar, filtersVar, image);
    }

    /// <summary>The geometry of the convolution whose input gradient <c>gradInputs(filters, topgrad, (h, w))</c> is.</summary>
    public static Conv2dGeometry GradInputs(Conv2dSettings s, ReadOnlySpan<int> filters, ReadOnlySpan<int> top,
        int height, int width, Variable filtersVar, Variable topVar)
    {
        CheckHint(s.Kshp, filters, filtersVar, "filter_shape");
        if (top[1] != filters[0])
            throw new ArgumentException(
                $"AbstractConv2d_gradInputs: the output gradient {Describe(topVar, top)} has {top[1]} channels, " +
                $"the filters {Describe(filtersVar, filters)} number {filters[0]}.");
        var g = Make(s, top[0], filters[1], height, width, filters[0], filters[2], filters[3], filtersVar, filtersVar, null);
        g.CheckTop(top, topVar, "AbstractConv2d_gradInputs");
        return g;
    }

    /// <summary>The geometry of the convolution whose filter gradient <c>gradWeights(image, topgrad, (kh, kw))</c> is.</summary>
    public static Conv2dGeometry GradWeights(Conv2dSettings s, ReadOnlySpan<int> image, ReadOnlySpan<int> top,
        int kh, int kw, Variable imageVar, Variable topVar)
    {
        CheckHint(s.Imshp, image, imageVar, "input_shape");
        if (top[0] != image[0])
            throw new ArgumentException(
                $"AbstractConv2d_gradWeights: the output gradient {Describe(topVar, top)} has batch {top[0]}, " +
                $"the input {Describe(imageVar, image)} has {image[0]}.");
        var g = Make(s, image[0], image[1], image[2], image[3], top[1], kh, kw, imageVar, imageVar, image);
        g.CheckTop(top, topVar, "AbstractConv2d_gradWeights");
        return g;
    }

    public int[] ImageShape => [Batch, Channels, Height, Width];

    public int[] FilterShape => [Filters, Channels, KH, KW];

    public int[] OutputShape => [Batch, Filters, OutH, OutW];

    private static Conv2dGeometry Make(Conv2dSettings s, int batch, int channels, int height, int width, int filters,
        int kh, int kw, Variable imageVar, Variable filtersVar, ReadOnlySpan<int> image)
    {
        if (kh < 1 || kw < 1)
            throw new ArgumentException($"conv2d: the filters {InputNames.Describe(filtersVar)} have an empty filter ({kh}, {kw}).");
        var (ph, pw) = s.Pads(kh, kw);
        var (dkh, dkw) = (s.DilatedH(kh), s.DilatedW(kw));
        if (height + 2 * ph < dkh || width + 2 * pw < dkw)
        {
            var what = image.IsEmpty ? $"the input size ({height}, {width})" : $"the input {Describe(imageVar, image)}";
            throw new ArgumentException(
                $"conv2d: the filters {InputNames.Describe(filtersVar)} of size ({kh}, {kw}) (dilated ({dkh}, {dkw})) " +
                $"are larger than {what} padded by ({ph}, {pw}) in border_mode {s.BorderMode}.");
        }
        return new Conv2dGeometry(batch, channels, height, width, filters, kh, kw, ph, pw, s.SubsampleH, s.SubsampleW,
            s.DilationH, s.DilationW, Conv2dSettings.OutputLength(height, ph, dkh, s.SubsampleH),
            Conv2dSettings.OutputLength(width, pw, dkw, s.SubsampleW), s.FilterFlip);
    }

    private void CheckTop(ReadOnlySpan<int> top, Variable topVar, string op)
    {
        if (top[2] != OutH || top[3] != OutW)
            throw new ArgumentException(
                $"{op}: the output gradient {Describe(topVar, top)} has size ({top[2]}, {top[3]}), but the convolution " +
                $"of a ({Height}, {Width}) input by a ({KH}, {KW}) filter gives ({OutH}, {OutW}).");
    }

    private static void CheckChannels(int imageChannels, int filterChannels, Variable imageVar, Variable filtersVar,
        ReadOnlySpan<int> image, ReadOnlySpan<int> filters)
    {
        if (imageChannels != filterChannels)
            throw new ArgumentException(
                $"conv2d: the filters {Describe(filtersVar, filters)} expect {filterChannels} input channels, " +
                $"the input {Describe(imageVar, image)} has {imageChannels}.");
    }

    private static void CheckHint(Seq<int?> hint, ReadOnlySpan<int> actual, Variable v, string what)
    {
        for (var i = 0; i < 4; i++)
        {
            if (hint[i] is { } n && n != actual[i])
                throw new ArgumentException(
                    $"conv2d: {Describe(v, actual)} does not match {what} ({string.Join(", ", hint.Select(h => h?.ToString() ?? "None"))}).");
        }
    }

    private static string Describe(Variable v, ReadOnlySpan<int> shape) =>
        $"{InputNames.Describe(v)} of shape {NDArray.ShapeString(shape.ToArray())}";

    /// <summary>The image row an output row and filter row read (before the bounds check): i·stride + u·dilation − pad.</summary>
    public int InputRow(int outRow, int filterRow) => outRow * StrideH + filterRow * DilationH - PadH;

    public int InputColumn(int outColumn, int filterColumn) => outColumn * StrideW + filterColumn * DilationW - PadW;

    /// <summary>The filter element that tap (u, v) uses: the flipped one for a true convolution.</summary>
    public int FilterRow(int u) => Flip ? KH - 1 - u : u;

    public int FilterColumn(int v) => Flip ? KW - 1 - v : v;
}
