using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;
using Theon.Ops;
using Theon.Values;

namespace Theon.Backends.Cpu.Fusion;

/// <summary>
/// The code of each scalar op inside a fused loop: the scalar form calls the reference kernels' own operator
/// structs (so the scalar tail computes exactly what <see cref="Op.Perform"/> does), the vector form uses
/// <see cref="Vector256"/>/<see cref="Vector512"/> operations, and <see cref="VectorMath{TV, TOps}"/> for the
/// transcendental functions.
/// </summary>
internal static class ScalarCode
{
    private static readonly Dictionary<Type, Type> Operators = new()
    {
        [typeof(Add)] = typeof(AddOp<>), [typeof(Sub)] = typeof(SubtractOp<>), [typeof(Mul)] = typeof(MultiplyOp<>),
        [typeof(TrueDiv)] = typeof(DivideOp<>), [typeof(Neg)] = typeof(NegateOp<>), [typeof(Abs)] = typeof(AbsOp<>),
        [typeof(Sqr)] = typeof(SquareOp<>), [typeof(Sqrt)] = typeof(SqrtOp<>), [typeof(Exp)] = typeof(ExpOp<>),
        [typeof(Log)] = typeof(LogOp<>), [typeof(Log1p)] = typeof(Log1pOp<>), [typeof(Tanh)] = typeof(TanhOp<>),
        [typeof(Sigmoid)] = typeof(SigmoidOp<>), [typeof(Softplus)] = typeof(SoftplusOp<>),
        [typeof(Maximum)] = typeof(MaximumOp<>), [typeof(Minimum)] = typeof(MinimumOp<>),
            [typeof(Pow)] = typeof(PowerOp<>),
        [typeof(Relu)] = typeof(MaximumOp<>), [typeof(Clip)] = typeof(MinimumOp<>),
    };

    private static readonly HashSet<Type> IntegerSafe =
        [typeof(Add), typeof(Sub), typeof(Mul), typeof(Neg), typeof(Abs), typeof(Sqr), typeof(Maximum),
            typeof(Minimum), typeof(Relu), typeof(Clip), typeof(Second)];

    private static readonly HashSet<Type> Vectorized =
        [typeof(Add), typeof(Sub), typeof(Mul), typeof(TrueDiv), typeof(Neg), typeof(Abs), typeof(Sqr), typeof(Sqrt),
         typeof(Exp), typeof(Log), typeof(Log1p), typeof(Tanh), typeof(Sigmoid), typeof(Softplus), typeof(Maximum),
             typeof(Minimum), typeof(Relu), typeof(Clip), typeof(Second)];

    /// <summary>The element types fused loops run on: vectorized for floats, scalar for int64.</summary>
    public static bool IsLoopType(DType dtype) => dtype == DType.Float32 || dtype == DType.Float64
        || dtype == DType.Int64;

    public static bool Supports(ScalarOp op, DType dtype) =>
        IsLoopType(dtype) && (op is Second || Operators.ContainsKey(op.GetType())) && (dtype.IsFloat
            || IntegerSafe.Contains(op.GetType()));

    public static bool Vectorizes(ScalarExpr e) => e switch
    {
        ScalarExpr.Call c => Vectorized.Contains(c.Op.GetType()) && c.Args.All(Vectorizes),
        _ => true,
    };

    public static Expression Scalar(ScalarOp op, Expression[] args, Type t)
    {
        if (op is Second) return args[1];
        var invoke = (Type operatorType, params Expression[] operands) => Expression.Call(
            operatorType.MakeGenericType(t).GetMethod("Invoke", BindingFlags.Public | BindingFlags.Static,
                [.. operands.Select(_ => t)])!,
            operands);
        var op2 = Operators[op.GetType()];
        return op switch
        {
            Relu => invoke(op2, args[0], Expression.Constant(Convert.ChangeType(0, t), t)),
            Clip => invoke(typeof(MinimumOp<>), invoke(typeof(MaximumOp<>), args[0], args[1]), args[2]),
            Add or Mul => args.Skip(1).Aggregate(args[0], (a, b) => invoke(op2, a, b)),
            _ => invoke(op2, args),
        };
    }

    public static Expression Vector(ScalarOp op, Expression[] args, VectorApi v) => op switch
    {
        Add => args.Skip(1).Aggregate(args[0], Expression.Add),
        Mul => args.Skip(1).Aggregate(args[0], Expression.Multiply),
        Sub => Expression.Subtract(args[0], args[1]),
        TrueDiv => Expression.Divide(args[0], args[1]),
        Neg => Expression.Negate(args[0]),
        Sqr => Expression.Multiply(args[0], args[0]),
        Abs => v.Call("Abs", args[0]),
        Sqrt => v.Call("Sqrt", args[0]),
        Exp => v.Math("Exp", args[0]),
        Log => v.Math("Log", args[0]),
        Log1p => v.Math("Log1p", args[0]),
        Tanh => v.Math("Tanh", args[0]),
        Sigmoid => v.Math("Sigmoid", args[0]),
        Softplus => v.Math("Softplus", args[0]),
        Maximum => v.Call("Max", args[0], args[1]),
        Minimum => v.Call("Min", args[0], args[1]),
        Relu => v.Call("Max", args[0], v.Broadcast(Expression.Constant(Convert.ChangeType(0, v.Element), v.Element))),
        Clip => v.Call("Min", v.Call("Max", args[0], args[1]), args[2]),
        Second => args[1],
        _ => throw new InvalidOperationException($"{op.Name} has no vector form."),
    };
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
