namespace Theon;

/// <summary>An element type, one shared instance per dtype (numpy's names).</summary>
public sealed class DType : IEquatable<DType>
{
    public static readonly DType Bool = new("bool", typeof(bool), 1, Kind.Bool, 0);
    public static readonly DType Int8 = new("int8", typeof(sbyte), 1, Kind.Signed, 1);
    public static readonly DType Int16 = new("int16", typeof(short), 2, Kind.Signed, 2);
    public static readonly DType Int32 = new("int32", typeof(int), 4, Kind.Signed, 3);
    public static readonly DType Int64 = new("int64", typeof(long), 8, Kind.Signed, 4);
    public static readonly DType UInt8 = new("uint8", typeof(byte), 1, Kind.Unsigned, 5);
    public static readonly DType Float32 = new("float32", typeof(float), 4, Kind.Float, 6);
    public static readonly DType Float64 = new("float64", typeof(double), 8, Kind.Float, 7);

    /// <summary>Every dtype, indexed by <see cref="Code"/>.</summary>
    internal static readonly DType[] All = [Bool, Int8, Int16, Int32, Int64, UInt8, Float32, Float64];

    private enum Kind { Bool, Signed, Unsigned, Float }

    private readonly Kind _kind;

    private DType(string name, Type clrType, int itemSize, Kind kind, int code)
    {
        Name = name;
        ClrType = clrType;
        ItemSize = itemSize;
        _kind = kind;
        Code = code;
    }

    public string Name { get; }
    public Type ClrType { get; }
    public int ItemSize { get; }
    public bool IsFloat => _kind == Kind.Float;
    /// <summary>Signed and unsigned integers (uint8 included), not bool.</summary>
    public bool IsInteger => _kind is Kind.Signed or Kind.Unsigned;
    public bool IsBool => _kind == Kind.Bool;
    internal bool IsUnsigned => _kind == Kind.Unsigned;
    internal int Code { get; }

    public static DType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var dtype in All)
            if (dtype.Name == name)
                return dtype;
        return name switch
        {
            "float" or "double" => Float64,
            "int" or "long" => Int64,
            "bool_" => Bool,
            "byte" => Int8,
            "ubyte" => UInt8,
            "half" or "float16" => throw new ArgumentException(
                $"dtype '{name}' is not supported; valid dtypes are {ValidNames}", nameof(name)),
            _ => throw new ArgumentException($"unknown dtype '{name}'; valid dtypes are {ValidNames}", nameof(name)),
        };
    }

    private static string ValidNames => string.Join(", ", All.Select(d => d.Name));

    public static DType Of<T>() => Of(typeof(T));

    public static DType Of(Type clrType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        foreach (var dtype in All)
            if (dtype.ClrType == clrType)
                return dtype;
        throw new ArgumentException(
            $"type {clrType.Name} has no dtype; expected one of bool, sbyte, short, int, long, byte, float, double",
            nameof(clrType));
    }

    /// <summary>numpy's promote_types over all arguments.</summary>
    public static DType Upcast(params DType[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Length == 0)
            throw new ArgumentException("Upcast needs at least one dtype", nameof(types));
        var result = types[0];
        for (var i = 1; i < types.Length; i++)
            result = Promote(result, types[i]);
        return result;
    }

    private static DType Promote(DType a, DType b)
    {
        if (ReferenceEquals(a, b))
            return a;
        if (CanCastSafely(a, b))
            return b;
        if (CanCastSafely(b, a))
            return a;
        // The remaining pairs mix signed and unsigned integers, or an int too wide for the float.
        if (a.IsFloat || b.IsFloat)
            return Float64;
        return Int16; // int8 + uint8: the only unsigned type is uint8
    }

    /// <summary>numpy.can_cast(from, to, 'safe').</summary>
    public static bool CanCastSafely(DType from, DType to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (ReferenceEquals(from, to) || from.IsBool)
            return true;
        return from._kind switch
        {
            Kind.Signed => to._kind switch
            {
                Kind.Signed => to.ItemSize >= from.ItemSize,
                Kind.Float => to.ItemSize > from.ItemSize || to.ItemSize == 8, // numpy counts int64 -> float64 as safe
                _ => false,
            },
            Kind.Unsigned => to._kind switch
            {
                Kind.Unsigned => to.ItemSize >= from.ItemSize,
                Kind.Signed => to.ItemSize > from.ItemSize,
                Kind.Float => to.ItemSize > from.ItemSize,
                _ => false,
            },
            Kind.Float => to.IsFloat && to.ItemSize >= from.ItemSize,
            _ => false,
        };
    }

    /// <summary>Theano's upgrade_to_float: small ints to float32, int32/int64 to float64.</summary>
    public DType ToFloat() => _kind switch
    {
        Kind.Float => this,
        _ when ItemSize <= 2 => Float32,
        _ => Float64,
    };

    public bool Equals(DType? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => Code;
    public override string ToString() => Name;

    public static implicit operator DType(string name) => Parse(name);
}
