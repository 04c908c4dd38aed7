using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Double256 = System.Runtime.Intrinsics.Vector256<double>;
using Double512 = System.Runtime.Intrinsics.Vector512<double>;
using Single256 = System.Runtime.Intrinsics.Vector256<float>;
using Single512 = System.Runtime.Intrinsics.Vector512<float>;

namespace Theon.Backends.Cpu.Fusion;

/// <summary>
/// The operations on one vector type <typeparamref name="TV"/> (Vector256 or Vector512 of float or double) that
/// <see cref="VectorMath{TV, TOps}"/> is written in; the *Bits operations treat the lanes as integers of the same
/// width (for exponent fields). Generic code cannot use the vector types' own operators: the reference assemblies do
/// not expose the operator interfaces they implement.
/// </summary>
internal interface ISimd<TV> where TV : struct
{
    static abstract bool IsDouble { get; }
    static abstract TV Create(double value);
    static abstract TV CreateBits(long value);
    static abstract TV Add(TV x, TV y);
    static abstract TV Subtract(TV x, TV y);
    static abstract TV Multiply(TV x, TV y);
    static abstract TV Divide(TV x, TV y);
    static abstract TV Negate(TV x);
    static abstract TV And(TV x, TV y);
    static abstract TV Or(TV x, TV y);
    static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);
    static abstract TV Abs(TV x);

    /// <summary>Max with the platform's NaN behaviour (one instruction).</summary>
    static abstract TV Max(TV x, TV y);

    /// <summary>Clamp with the platform's NaN behaviour (two instructions).</summary>
    static abstract TV Clamp(TV x, TV min, TV max);

    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);
    static abstract TV Equal(TV x, TV y);
    static abstract TV LessThan(TV x, TV y);
    static abstract TV LessThanOrEqual(TV x, TV y);
    static abstract TV AddBits(TV x, TV y);
    static abstract TV SubtractBits(TV x, TV y);
    static abstract TV ShiftLeftBits(TV x, int count);
    static abstract TV ShiftRightLogicalBits(TV x, int count);
}

internal readonly struct Single256Ops : ISimd<Single256>
{
    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Create(double value) => Vector256.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 CreateBits(long value) => Vector256.Create((int)value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Add(Single256 x, Single256 y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Subtract(Single256 x, Single256 y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Multiply(Single256 x, Single256 y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Divide(Single256 x, Single256 y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Negate(Single256 x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 And(Single256 x, Single256 y) => x & y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Or(Single256 x, Single256 y) => x | y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 FusedMultiplyAdd(Single256 a, Single256 b, Single256 c) =>
        Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Abs(Single256 x) => Vector256.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Max(Single256 x, Single256 y) => Vector256.MaxNative(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Clamp(Single256 x, Single256 min, Single256 max) => Vector256.ClampNative(x, min, max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Select(Single256 mask, Single256 whenTrue, Single256 whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 Equal(Single256 x, Single256 y) => Vector256.Equals(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 LessThan(Single256 x, Single256 y) => Vector256.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 LessThanOrEqual(Single256 x, Single256 y) => Vector256.LessThanOrEqual(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 AddBits(Single256 x, Single256 y) => (x.AsInt32() + y.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 SubtractBits(Single256 x, Single256 y) => (x.AsInt32() - y.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 ShiftLeftBits(Single256 x, int count) => (x.AsInt32() << count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single256 ShiftRightLogicalBits(Single256 x, int count) => (x.AsInt32() >>> count).AsSingle();
}

internal readonly struct Single512Ops : ISimd<Single512>
{
    public static bool IsDouble => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Create(double value) => Vector512.Create((float)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 CreateBits(long value) => Vector512.Create((int)value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Add(Single512 x, Single512 y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Subtract(Single512 x, Single512 y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Multiply(Single512 x, Single512 y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Divide(Single512 x, Single512 y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Negate(Single512 x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 And(Single512 x, Single512 y) => x & y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Or(Single512 x, Single512 y) => x | y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 FusedMultiplyAdd(Single512 a, Single512 b, Single512 c) =>
        Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Abs(Single512 x) => Vector512.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Max(Single512 x, Single512 y) => Vector512.MaxNative(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Clamp(Single512 x, Single512 min, Single512 max) => Vector512.ClampNative(x, min, max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Select(Single512 mask, Single512 whenTrue, Single512 whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 Equal(Single512 x, Single512 y) => Vector512.Equals(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 LessThan(Single512 x, Single512 y) => Vector512.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 LessThanOrEqual(Single512 x, Single512 y) => Vector512.LessThanOrEqual(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 AddBits(Single512 x, Single512 y) => (x.AsInt32() + y.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 SubtractBits(Single512 x, Single512 y) => (x.AsInt32() - y.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 ShiftLeftBits(Single512 x, int count) => (x.AsInt32() << count).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Single512 ShiftRightLogicalBits(Single512 x, int count) => (x.AsInt32() >>> count).AsSingle();
}

internal readonly struct Double256Ops : ISimd<Double256>
{
    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Create(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 CreateBits(long value) => Vector256.Create(value).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Add(Double256 x, Double256 y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Subtract(Double256 x, Double256 y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Multiply(Double256 x, Double256 y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Divide(Double256 x, Double256 y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Negate(Double256 x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 And(Double256 x, Double256 y) => x & y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Or(Double256 x, Double256 y) => x | y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 FusedMultiplyAdd(Double256 a, Double256 b, Double256 c) =>
        Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Abs(Double256 x) => Vector256.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Max(Double256 x, Double256 y) => Vector256.MaxNative(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Clamp(Double256 x, Double256 min, Double256 max) => Vector256.ClampNative(x, min, max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Select(Double256 mask, Double256 whenTrue, Double256 whenFalse) =>
        Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Equal(Double256 x, Double256 y) => Vector256.Equals(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 LessThan(Double256 x, Double256 y) => Vector256.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 LessThanOrEqual(Double256 x, Double256 y) => Vector256.LessThanOrEqual(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 AddBits(Double256 x, Double256 y) => (x.AsInt64() + y.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 SubtractBits(Double256 x, Double256 y) => (x.AsInt64() - y.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 ShiftLeftBits(Double256 x, int count) => (x.AsInt64() << count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 ShiftRightLogicalBits(Double256 x, int count) => (x.AsInt64() >>> count).AsDouble();
}

internal readonly struct Double512Ops : ISimd<Double512>
{
    public static bool IsDouble => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Create(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 CreateBits(long value) => Vector512.Create(value).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Add(Double512 x, Double512 y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Subtract(Double512 x, Double512 y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Multiply(Double512 x, Double512 y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Divide(Double512 x, Double512 y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Negate(Double512 x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 And(Double512 x, Double512 y) => x & y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Or(Double512 x, Double512 y) => x | y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 FusedMultiplyAdd(Double512 a, Double512 b, Double512 c) =>
        Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Abs(Double512 x) => Vector512.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Max(Double512 x, Double512 y) => Vector512.MaxNative(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Clamp(Double512 x, Double512 min, Double512 max) => Vector512.ClampNative(x, min, max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Select(Double512 mask, Double512 whenTrue, Double512 whenFalse) =>
        Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Equal(Double512 x, Double512 y) => Vector512.Equals(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 LessThan(Double512 x, Double512 y) => Vector512.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 LessThanOrEqual(Double512 x, Double512 y) => Vector512.LessThanOrEqual(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 AddBits(Double512 x, Double512 y) => (x.AsInt64() + y.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 SubtractBits(Double512 x, Double512 y) => (x.AsInt64() - y.AsInt64()).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 ShiftLeftBits(Double512 x, int count) => (x.AsInt64() << count).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 ShiftRightLogicalBits(Double512 x, int count) => (x.AsInt64() >>> count).AsDouble();
}
