using System.Linq.Expressions;
using Theon.Backends.Cpu.Fusion;
using Theon.Ops;

namespace Theon.Backends.Cpu.Unrolled;

/// <summary>
/// Builds the straight-line scalar code of a small graph for the shapes of one recorded run. Every value is an array
/// of element expressions in C order: a graph input's elements are loaded from its argument, a computed element is a
/// local assigned once, a view or a concatenation only rearranges the expressions of its input, and a value that
/// depends on nothing but shapes and constants (a shape, an index computed from it) is the constant it was in the
/// recorded run. Kernels describe their own op in these terms (<see cref="NodeKernel.Unroll"/>).
/// </summary>
internal sealed class Unroller
{
    private readonly NDArray?[] recorded;
    private readonly Expression[]?[] elements;
    private readonly bool[] isStatic;
    private readonly Func<int, Expression[]?> loadInput;
    private readonly Dictionary<ScalarCall, ParameterExpression> calls = [];
    private int operationsLeft;

    public Unroller(NDArray?[] recorded, Func<int, Expression[]?> loadInput, int maxOperations)
    {
        this.recorded = recorded;
        this.loadInput = loadInput;
        elements = new Expression[recorded.Length][];
        isStatic = new bool[recorded.Length];
        operationsLeft = maxOperations;
    }

    public List<ParameterExpression> Locals { get; } = [];

    public List<Expression> Code { get; } = [];

    /// <summary>The value <paramref name="slot"/> had in the recorded run: its shape, and its elements where
    /// static.</summary>
    public NDArray Recorded(int slot) => recorded[slot]!;

    public bool IsStatic(int slot) => isStatic[slot];

    /// <summary>The elements of <paramref name="slot"/>, loading a graph input on first use; null when they cannot be
    /// had (an input of a type the unrolled code does not read, or too many operations).</summary>
    public Expression[]? Elements(int slot) => elements[slot] ??= loadInput(slot);

    /// <summary>The elements of each of <paramref name="slots"/>; null when any cannot be had.</summary>
    public Expression[][]? ElementsOf(int[] slots)
    {
        var values = new Expression[slots.Length][];
        for (var k = 0; k < slots.Length; k++)
        {
            if (Elements(slots[k]) is not { } elements) return null;
            values[k] = elements;
        }
        return values;
    }

    /// <summary>Counts <paramref name="operations"/> against the limit; false once it is exceeded.</summary>
    public bool Spend(long operations) => (operationsLeft -= (int)Math.Min(operations, int.MaxValue)) >= 0;

    /// <summary>A value that only rearranges elements computed elsewhere (a view).</summary>
    public void Define(int slot, Expression[] values) => elements[slot] = values;

    /// <summary>A value known before the run: the recorded elements as constants.</summary>
    public bool DefineStatic(int slot)
    {
        var value = recorded[slot]!;
        if (!Spend(value.size)) return false;
        var flat = value.Copy().Buffer;
        var type = value.DType.ClrType;
        elements[slot] = [.. Enumerable.Range(0, value.size).Select(i => Expression.Constant(flat.GetValue(i), type))];
        isStatic[slot] = true;
        return true;
    }

    /// <summary>Each element of <paramref name="slot"/> computed once into a local.</summary>
    public bool Compute(int slot, Func<int, Expression> element)
    {
        var size = recorded[slot]!.size;
        if (!Spend(size)) return false;
        var values = new Expression[size];
        for (var i = 0; i < values.Length; i++)
        {
            var value = element(i);
            values[i] = value as ParameterExpression ?? Assign(value);   // a scalar call is a local already
        }
        elements[slot] = values;
        return true;
    }

    /// <summary>A new local holding <paramref name="value"/>.</summary>
    public ParameterExpression Assign(Expression value)
    {
        var local = Expression.Variable(value.Type);
        Locals.Add(local);
        Code.Add(Expression.Assign(local, value));
        return local;
    }

    /// <summary>
    /// The scalar code of a fused body over the given leaves. Each scalar operation is computed once per distinct
    /// operands in the whole program, so that, say, the exponential inside a sigmoid is the one its gradient reads.
    /// </summary>
    public Expression Scalar(ScalarExpr body, Func<int, Expression> leaf, Type t) => body switch
    {
        ScalarExpr.Input i => leaf(i.Index),
        ScalarExpr.Literal l => Expression.Constant(Convert.ChangeType(l.Value, t), t),
        ScalarExpr.Call c => Call(c.Op, [.. c.Args.Select(a => Scalar(a, leaf, t))], t),
        _ => throw new InvalidOperationException($"unknown scalar expression {body}"),
    };

    private Expression Call(ScalarOp op, Expression[] args, Type t)
    {
        var key = new ScalarCall(op, args);
        if (calls.TryGetValue(key, out var local)) return local;
        return calls[key] = Assign(LoopCode.Unrolled(op, args, t, (other, operands) => Call(other, operands, t)));
    }

    /// <summary>
    /// The flat index, in an input of shape <paramref name="inputShape"/> (same rank, length 1 where it broadcasts),
    /// of element <paramref name="flat"/> of a result of shape <paramref name="shape"/>.
    /// </summary>
    public static int BroadcastIndex(int flat, int[] shape, int[] inputShape)
    {
        var (index, scale) = (0, 1);
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            var coordinate = flat % shape[axis];
            flat /= shape[axis];
            if (inputShape[axis] != 1) index += coordinate * scale;
            scale *= inputShape[axis];
        }
        return index;
    }

    /// <summary>
    /// For each element of the result of reducing <paramref name="shape"/> over the <paramref name="reduced"/> axes,
    /// the flat indices of the elements folded into it, in C order.
    /// </summary>
    public static List<int>[] ReductionGroups(int[] shape, bool[] reduced)
    {
        var keptSize = 1;
        for (var axis = 0; axis < shape.Length; axis++) keptSize *= reduced[axis] ? 1 : shape[axis];
        var groups = Enumerable.Range(0, keptSize).Select(_ => new List<int>()).ToArray();
        var size = shape.Aggregate(1, (a, n) => a * n);
        for (var flat = 0; flat < size; flat++)
        {
            var (rest, kept, scale) = (flat, 0, 1);
            for (var axis = shape.Length - 1; axis >= 0; axis--)
            {
                var coordinate = rest % shape[axis];
                rest /= shape[axis];
                if (reduced[axis]) continue;
                kept += coordinate * scale;
                scale *= shape[axis];
            }
            groups[kept].Add(flat);
        }
        return groups;
    }

    /// <summary>The buffer position of each element of <paramref name="value"/>, in C order.</summary>
    public static int[] Positions(NDArray value)
    {
        var positions = new int[value.size];
        var dims = value.Dims;
        for (var flat = 0; flat < positions.Length; flat++)
        {
            var (rest, position) = (flat, value.Offset);
            for (var axis = dims.Length - 1; axis >= 0; axis--)
            {
                position += rest % dims[axis] * value.Strides[axis];
                rest /= dims[axis];
            }
            positions[flat] = position;
        }
        return positions;
    }
}

/// <summary>A scalar operation and its operands: the same locals, or constants of equal value.</summary>
internal readonly struct ScalarCall(ScalarOp op, Expression[] args) : IEquatable<ScalarCall>
{
    private readonly ScalarOp op = op;
    private readonly Expression[] args = args;

    public bool Equals(ScalarCall other) =>
        op.Equals(other.op) && args.Length == other.args.Length && args.Zip(other.args).All(p => Same(p.First,
            p.Second));

    public override bool Equals(object? obj) => obj is ScalarCall other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(op);
        foreach (var a in args) hash.Add(a is ConstantExpression c ? c.Value : a);
        return hash.ToHashCode();
    }

    private static bool Same(Expression a, Expression b) => ReferenceEquals(a, b)
        || a is ConstantExpression x && b is ConstantExpression y && x.Type == y.Type && Equals(x.Value, y.Value);
}
