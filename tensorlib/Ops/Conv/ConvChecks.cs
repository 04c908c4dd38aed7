using static Theon.T;

namespace Theon.Ops;

/// <summary>The build-time checks and symbolic shapes the three convolution ops share.</summary>
internal static class ConvChecks
{
    /// <summary>A float tensor of 4 dimensions, or an error naming <paramref name="role"/> and the type it has.</summary>
    public static void Require4d(string op, string role, Variable v)
    {
        if (v.ndim != 4 || !v.type.dtype.IsFloat)
            throw new ArgumentException(
                $"{op}: the {role} {InputNames.Describe(v)} must be a float 4-d tensor (batch, channels, rows, columns), got {v.type}.");
    }

    public static void SameDType(string op, Variable a, Variable b)
    {
        if (a.type.dtype != b.type.dtype)
            throw new ArgumentException(
                $"{op}: {InputNames.Describe(a)} is {a.type.dtype.Name} and {InputNames.Describe(b)} is {b.type.dtype.Name}; cast one of them.");
    }

    /// <summary>A vector of two integers (the spatial size an input-gradient or filter-gradient op produces).</summary>
    public static void RequireSize(string op, Variable v)
    {
        if (v.ndim != 1 || !v.type.dtype.IsInteger)
            throw new ArgumentException($"{op}: the shape input must be an integer vector of 2 entries, got {v} of type {v.type}.");
    }

    /// <summary>What is known of a shape before any call: the hint, a constant's shape, or 1 for a broadcastable axis.</summary>
    public static int?[] StaticShape(Variable v, Seq<int?> hint, string what)
    {
        var known = new int?[4];
        for (var i = 0; i < 4; i++)
        {
            var fromType = v is Constant c ? c.data.shape[i] : v.type.broadcastable[i] ? 1 : (int?)null;
            if (hint[i] is { } h && fromType is { } t && h != t)
                throw new ArgumentException(
                    $"conv2d: {InputNames.Describe(v)} has length {t} on axis {i} (type {v.type}), but {what} says {h}.");
            known[i] = hint[i] ?? fromType;
        }
        return known;
    }

    /// <summary>The integers of a 2-vector when it is a constant.</summary>
    public static (int, int)? ConstantSize(Variable v) =>
        v is Constant c && c.data.size == 2 ? ((int)c.data.ToFlatArray<long>()[0], (int)c.data.ToFlatArray<long>()[1]) : null;

    /// <summary>The symbolic output length of one axis: (image + 2 pad − dilated filter) // stride + 1.</summary>
    public static Variable OutputLength(Conv2dSettings s, Variable image, Variable filter, bool rows)
    {
        var (dilation, stride, pad) = rows ? (s.DilationH, s.SubsampleH, s.PadH) : (s.DilationW, s.SubsampleW, s.PadW);
        if (Known(image) is { } h && Known(filter) is { } k)
        {
            var (ph, pw) = s.Pads(rows ? (int)k : 1, rows ? 1 : (int)k);
            var dk = rows ? s.DilatedH((int)k) : s.DilatedW((int)k);
            return SymbolicShapes.Int64(Conv2dSettings.OutputLength((int)h, rows ? ph : pw, dk, stride));
        }
        var dilated = (filter - 1) * dilation + 1;
        Variable padding = s.BorderMode switch
        {
            "valid" => constant(0L),
            "full" => dilated - 1,
            "half" => int_div(dilated, constant(2L)),
            _ => constant((long)pad),
        };
        return cast(int_div(image + padding * 2 - dilated, constant((long)stride)) + 1, DType.Int64);
    }

    public static Variable Dim(int? hint, Variable symbolic) => hint is { } n ? SymbolicShapes.Int64(n) : symbolic;

    private static long? Known(Variable v) => v is Constant c && c.data.size == 1 ? (long)(double)c.data : null;
}
