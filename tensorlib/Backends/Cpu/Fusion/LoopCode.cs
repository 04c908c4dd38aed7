using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;
using Theon.Ops;
using Theon.Values;

namespace Theon.Backends.Cpu.Fusion;

/// <summary>
/// The CPU backend's one row per scalar op for generated loops. A row gives the scalar form (calling the reference
/// kernels' own operator structs, so the scalar tail computes exactly what <see cref="Op.Perform"/> does), whether
/// the op is exact on int64, its vector form (<see cref="Vector256"/>/<see cref="Vector512"/> operations and
/// <see cref="VectorMath{TV, TOps}"/> for the transcendental functions) where it has one, and for the unroller an
/// expansion into other ops whose values the whole program shares. An op that loops do not hold has a row that says
/// why; <c>LoopCodeTests</c> fails for a scalar op without a row.
/// </summary>
internal static class LoopCode
{
    /// <summary>Builds a scalar op's code from its operands; <c>call</c> gives the shared code of another op.</summary>
    public delegate Expression Expansion(Expression[] args, Type t, Func<ScalarOp, Expression[], Expression> call);

    private sealed record Row(Func<Expression[], Type, Expression>? Scalar, bool IntegerSafe = false,
        Func<Expression[], VectorApi, Expression>? Vector = null, Expansion? Unrolled = null, string? Why = null)
    {
        public static Row None(string why) => new(null, Why: why);
    }

    private static Expression Invoke(Type operatorType, Type t, params Expression[] operands) => Expression.Call(
        operatorType.MakeGenericType(t).GetMethod("Invoke", BindingFlags.Public | BindingFlags.Static,
            [.. operands.Select(_ => t)])!, operands);

    private static Func<Expression[], Type, Expression> Operator(Type operatorType) =>
        (args, t) => Invoke(operatorType, t, args);

    // The special functions compute in float64 and round once (SpecialOp), as their reference kernels do.
    private static Func<Expression[], Type, Expression> Special(Type function) =>
        (args, t) => Expression.Call(typeof(SpecialOp<,>).MakeGenericType(t, function).GetMethod("Invoke")!, args);

    // Add and Mul take two or more operands.
    private static Func<Expression[], Type, Expression> Fold(Type operatorType) =>
        (args, t) => args.Skip(1).Aggregate(args[0], (a, b) => Invoke(operatorType, t, a, b));

    private static Expression Zero(Type t) => Expression.Constant(Convert.ChangeType(0, t), t);

    private static Expression One(Type t) => Expression.Constant(Convert.ChangeType(1, t), t);

    private static Expression Constant(double value, Type t) => Expression.Constant(Convert.ChangeType(value, t), t);

    private static readonly Dictionary<Type, Row> Rows = new()
    {
        [typeof(Add)] = new(Fold(typeof(AddOp<>)), true, (a, v) => a.Skip(1).Aggregate(a[0], Expression.Add)),
        [typeof(Sub)] = new(Operator(typeof(SubtractOp<>)), true, (a, v) => Expression.Subtract(a[0], a[1])),
        [typeof(Mul)] = new(Fold(typeof(MultiplyOp<>)), true, (a, v) => a.Skip(1).Aggregate(a[0], Expression.Multiply)),
        [typeof(TrueDiv)] = new(Operator(typeof(DivideOp<>)), false, (a, v) => Expression.Divide(a[0], a[1])),
        [typeof(Neg)] = new(Operator(typeof(NegateOp<>)), true, (a, v) => Expression.Negate(a[0])),
        [typeof(Abs)] = new(Operator(typeof(AbsOp<>)), true, (a, v) => v.Call("Abs", a[0])),
        [typeof(Sqr)] = new(Operator(typeof(SquareOp<>)), true, (a, v) => Expression.Multiply(a[0], a[0])),
        [typeof(Sqrt)] = new(Operator(typeof(SqrtOp<>)), false, (a, v) => v.Call("Sqrt", a[0])),
        [typeof(Exp)] = new(Operator(typeof(ExpOp<>)), false, (a, v) => v.Math("Exp", a[0])),
        [typeof(Log)] = new(Operator(typeof(LogOp<>)), false, (a, v) => v.Math("Log", a[0])),
        [typeof(Log1p)] = new(Operator(typeof(Log1pOp<>)), false, (a, v) => v.Math("Log1p", a[0])),
        [typeof(Tanh)] = new(Operator(typeof(TanhOp<>)), false, (a, v) => v.Math("Tanh", a[0])),
        // 1 / (1 + exp(-x)) when unrolled, with an exponential other nodes can share (a sigmoid's gradient reads
        // exp(-x)); within an ulp of the reference, except that it gives 0 where the sigmoid is subnormal (x < -88
        // in float32, -708 in float64).
        [typeof(Sigmoid)] = new(Operator(typeof(SigmoidOp<>)), false, (a, v) => v.Math("Sigmoid", a[0]),
            (a, t, call) => call(TrueDiv.Op, [One(t), call(Add.Op, [One(t), call(Exp.Op, [call(Neg.Op, a)])])])),
        [typeof(Softplus)] = new(Operator(typeof(SoftplusOp<>)), false, (a, v) => v.Math("Softplus", a[0]),
            (a, t, call) => SoftplusOf(a[0], call(Exp.Op, a), t)),
        [typeof(Maximum)] = new(Operator(typeof(MaximumOp<>)), true, (a, v) => v.Call("Max", a[0], a[1])),
        [typeof(Minimum)] = new(Operator(typeof(MinimumOp<>)), true, (a, v) => v.Call("Min", a[0], a[1])),
        [typeof(Relu)] = new((a, t) => Invoke(typeof(MaximumOp<>), t, a[0], Zero(t)), true,
            (a, v) => v.Call("Max", a[0], v.Broadcast(Zero(v.Element)))),
        [typeof(Clip)] = new((a, t) => Invoke(typeof(MinimumOp<>), t, Invoke(typeof(MaximumOp<>), t, a[0], a[1]),
            a[2]), true, (a, v) => v.Call("Min", v.Call("Max", a[0], a[1]), a[2])),
        [typeof(Second)] = new((a, t) => a[1], true, (a, v) => a[1]),
        [typeof(Pow)] = new(Operator(typeof(PowerOp<>))),
        // No vector form: VectorMath has none for these, and the scalar tail is the reference operator struct.
        [typeof(Sin)] = new(Operator(typeof(SinOp<>))),
        [typeof(Cos)] = new(Operator(typeof(CosOp<>))),
        [typeof(Tan)] = new(Operator(typeof(TanOp<>))),
        [typeof(Arcsin)] = new(Operator(typeof(ArcsinOp<>))),
        [typeof(Arccos)] = new(Operator(typeof(ArccosOp<>))),
        [typeof(Arctan)] = new(Operator(typeof(ArctanOp<>))),
        [typeof(Sinh)] = new(Operator(typeof(SinhOp<>))),
        [typeof(Cosh)] = new(Operator(typeof(CoshOp<>))),
        [typeof(Arcsinh)] = new(Operator(typeof(ArcsinhOp<>))),
        [typeof(Arccosh)] = new(Operator(typeof(ArccoshOp<>))),
        [typeof(Arctanh)] = new(Operator(typeof(ArctanhOp<>))),
        [typeof(Exp2)] = new(Operator(typeof(Exp2Op<>))),
        [typeof(Expm1)] = new(Operator(typeof(Expm1Op<>))),
        [typeof(Log2)] = new(Operator(typeof(Log2Op<>))),
        [typeof(Log10)] = new(Operator(typeof(Log10Op<>))),
        [typeof(Inv)] = new(Operator(typeof(ReciprocalOp<>)), false,
            (a, v) => Expression.Divide(v.Broadcast(One(v.Element)), a[0])),
        [typeof(Floor)] = new(Operator(typeof(FloorOp<>)), false, (a, v) => v.Call("Floor", a[0])),
        [typeof(And)] = new(Operator(typeof(BitAndOp<>)), true),
        [typeof(Or)] = new(Operator(typeof(BitOrOp<>)), true),
        [typeof(Xor)] = new(Operator(typeof(BitXorOp<>)), true),
        [typeof(Invert)] = new(Operator(typeof(InvertOp<>)), true),
        [typeof(Mod)] = new(Operator(typeof(RemainderOp<>)), true),
        [typeof(IntDiv)] = new(Operator(typeof(FloorDivideOp<>)), true),
        [typeof(Arctan2)] = new(Operator(typeof(Arctan2Op<>))),
        [typeof(RoundHalfToEven)] = new(Operator(typeof(RoundHalfToEvenOp<>))),
        [typeof(RoundHalfAwayFromZero)] = new(Operator(typeof(RoundHalfAwayFromZeroOp<>))),
        [typeof(Trunc)] = new(Operator(typeof(TruncOp<>)), false, (a, v) => v.Call("Truncate", a[0])),
        [typeof(Deg2Rad)] = new(Operator(typeof(Deg2RadOp<>)), false,
            (a, v) => Expression.Multiply(a[0], v.Broadcast(Constant(Deg2RadOp<double>.Factor, v.Element)))),
        [typeof(Rad2Deg)] = new(Operator(typeof(Rad2DegOp<>)), false,
            (a, v) => Expression.Multiply(a[0], v.Broadcast(Constant(Rad2DegOp<double>.Factor, v.Element)))),
        [typeof(UltraFastSigmoid)] = new(Operator(typeof(UltraFastSigmoidOp<>))),
        [typeof(Erf)] = new(Special(typeof(ErfFunction))),
        [typeof(Erfc)] = new(Special(typeof(ErfcFunction))),
        [typeof(Erfinv)] = new(Special(typeof(ErfinvFunction))),
        [typeof(Gamma)] = new(Special(typeof(GammaFunction))),
        [typeof(GammaLn)] = new(Special(typeof(GammaLnFunction))),
        [typeof(Psi)] = new(Special(typeof(PsiFunction))),
        [typeof(Sgn)] = Row.None("sign runs through the reference kernel (rare outside gradients of abs)"),
        [typeof(Ceil)] = Row.None("ceil runs through the reference kernel"),
        [typeof(Cast)] = Row.None("a conversion changes the element type; CastKernel runs it"),
        [typeof(Compare)] = Row.None("a comparison gives bool, not the loop's element type"),
        [typeof(IsNan)] = Row.None("isnan gives bool, not the loop's element type"),
        [typeof(IsInf)] = Row.None("isinf gives bool, not the loop's element type"),
        [typeof(Switch)] = Row.None("the condition is bool, not the loop's element type"),
    };

    /// <summary>Every scalar op type with a row (some rows say the op is not held by loops).</summary>
    public static IReadOnlyCollection<Type> HasRow => Rows.Keys;

    /// <summary>The element types fused loops run on: vectorized for floats, scalar for int64.</summary>
    public static bool IsLoopType(DType dtype) => dtype == DType.Float32 || dtype == DType.Float64
        || dtype == DType.Int64;

    public static bool Supports(ScalarOp op, DType dtype) =>
        IsLoopType(dtype) && Rows.TryGetValue(op.GetType(), out var row) && row.Scalar is not null
        && (dtype.IsFloat || row.IntegerSafe);

    public static bool Vectorizes(ScalarExpr e) => e switch
    {
        ScalarExpr.Call c => Rows[c.Op.GetType()].Vector is not null && c.Args.All(Vectorizes),
        _ => true,
    };

    public static Expression Scalar(ScalarOp op, Expression[] args, Type t) =>
        (Rows[op.GetType()].Scalar ?? throw new InvalidOperationException($"{op.Name} has no loop code."))(args, t);

    public static Expression Vector(ScalarOp op, Expression[] args, VectorApi v) =>
        (Rows[op.GetType()].Vector ?? throw new InvalidOperationException($"{op.Name} has no vector form."))(args, v);

    /// <summary>The op's code in an unrolled program, where <paramref name="call"/> shares each op's value.</summary>
    public static Expression Unrolled(ScalarOp op, Expression[] args, Type t,
        Func<ScalarOp, Expression[], Expression> call) =>
        Rows[op.GetType()].Unrolled is { } expand ? expand(args, t, call) : Scalar(op, args, t);

    /// <summary>The reference softplus (<c>SoftplusOp</c>) with its exponential given; the logarithm is computed
    /// only in the branch that needs it.</summary>
    private static Expression SoftplusOf(Expression x, Expression exp, Type t)
    {
        var limit = Expression.Constant(Convert.ChangeType(30, t), t);
        return Expression.Condition(Expression.GreaterThan(x, limit), x, Expression.Condition(
            Expression.LessThan(x, Expression.Negate(limit)), exp, Scalar(Log1p.Op, [exp], t)));
    }
}

/// <summary>The methods of Vector256 or Vector512 for one element type, found once by reflection.</summary>
internal sealed class VectorApi
{
    private readonly Type statics;
    private readonly Type math;

    public VectorApi(Type statics, Type element)
    {
        this.statics = statics;
        Element = element;
        Type = statics.Assembly.GetType($"{statics.FullName}`1")!.MakeGenericType(element);
        Width = (int)Type.GetProperty("Count")!.GetValue(null)!;
        math = VectorMath.For(Type);
        Zero = Expression.Property(null, Type.GetProperty("Zero")!);
    }

    public static VectorApi For(Type element) =>
        new(Vector512.IsHardwareAccelerated ? typeof(Vector512) : typeof(Vector256), element);

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    public Type Element { get; }

    public Type Type { get; }

    public int Width { get; }

    public Expression Zero { get; }

    public Expression Broadcast(Expression scalar) => Expression.Call(statics.GetMethod("Create", [Element])!, scalar);

    /// <summary>Loads <see cref="Width"/> elements of <paramref name="array"/> from <paramref name="index"/>.</summary>
    public Expression Load(Expression array, Expression index) =>
        Expression.Call(Generic("Create", [Element.MakeArrayType(), typeof(int)]), array, index);

    public Expression Store(Expression vector, Expression array, Expression index) =>
        Expression.Call(Generic("CopyTo", [Type, Element.MakeArrayType(), typeof(int)]), vector, array, index);

    public Expression Call(string name, params Expression[] args)
    {
        var exact = statics.GetMethod(name, [.. args.Select(_ => Type)]);
        return Expression.Call(exact ?? Generic(name, [.. args.Select(_ => Type)]), args);
    }

    /// <summary>Calls <see cref="VectorMath{TV, TOps}"/>'s <paramref name="name"/> for this vector type.</summary>
    public Expression Math(string name, Expression x) => Expression.Call(math.GetMethod(name, [Type])!, x);

    private MethodInfo Generic(string name, Type[] parameters) =>
        statics.GetMethods().Where(m => m.Name == name && m.IsGenericMethodDefinition)
            .Select(Close)
            .Single(m => m is not null && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters))!;

    private MethodInfo? Close(MethodInfo definition)
    {
        try
        {
            return definition.GetGenericArguments().Length == 1 ? definition.MakeGenericMethod(Element) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
