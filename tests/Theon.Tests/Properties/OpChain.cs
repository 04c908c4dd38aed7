using static Theon.T;

namespace Theon.Tests.Properties;

/// <summary>
/// A random chain of ops applied to a random input, built step by step with a model of the concrete shape
/// (numpy's rules) beside the symbolic variable. Every step makes a valid graph for the current shape; the inputs it
/// adds (second operands, symbolic slice bounds) are collected with their values.
/// </summary>
internal sealed class OpChain
{
    private const int MaxRank = 4;
    private readonly List<(Variable Input, NDArray Value)> inputs = [];
    private readonly List<string> steps = [];
    private Random random = new(0);

    public OpChain(int[] shape)
    {
        Shape = shape;
        Current = NewInput(shape);
    }

    public Variable Current { get; private set; }

    /// <summary>The shape numpy gives the value of <see cref="Current"/>.</summary>
    public int[] Shape { get; private set; }

    public IReadOnlyList<(Variable Input, NDArray Value)> Inputs => inputs;

    public override string ToString() => $"{string.Join(" -> ", steps)} : {NDArray.ShapeString(Shape)}";

    /// <summary>Applies step <paramref name="kind"/> with parameters drawn from <paramref name="entropy"/>.</summary>
    public void Apply(int kind, int entropy)
    {
        random = new Random(entropy);
        var rank = Shape.Length;
        switch (kind % 10)
        {
            case 0: Elementwise(); break;
            case 1 when rank < MaxRank: DimShuffle(); break;
            case 2: Reduce(); break;
            case 3 when rank is 1 or 2: Dot(); break;
            case 4: Reshape(); break;
            case 5 when rank >= 1: Concatenate(); break;
            case 6 when rank >= 1: Index(); break;
            case 7 when rank < MaxRank: Stack(); break;
            case 8: Set(Current.T, [.. Shape.Reverse()], ".T"); break;
            case 9 when rank >= 1: Flatten(); break;
            default: Elementwise(); break;
        }
    }

    private void Set(Variable next, int[] shape, string step)
    {
        Current = next;
        Shape = shape;
        steps.Add(step);
    }

    private Variable NewInput(int[] shape)
    {
        var value = np.random.RandomState(inputs.Count).uniform(0.5, 1.5, shape);
        var input = dtensor(shape.Length, $"in{inputs.Count}");
        inputs.Add((input, value));
        return input;
    }

    private Variable NewIndex(long value)
    {
        var input = lscalar($"i{inputs.Count}");
        inputs.Add((input, NDArray.Scalar(value)));
        return input;
    }

    private static Variable dtensor(int rank, string name) => tensor("float64", new bool[rank], name);

    private static string Shapes(int[] shape) => NDArray.ShapeString(shape);

    /// <summary>numpy's broadcasting of two shapes (right-aligned; equal lengths or one of them 1).</summary>
    public static int[] NumpyBroadcast(int[] a, int[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            var y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (x != y && x != 1 && y != 1)
                throw new InvalidOperationException($"{Shapes(a)} and {Shapes(b)} do not broadcast");
            result[i] = Math.Max(x, y);
        }
        return result;
    }

    /// <summary>A second operand over the trailing axes, some broadcast with 'x', the others matching.</summary>
    private void Elementwise()
    {
        var rank = Shape.Length;
        var operandRank = random.Next(0, rank + 1);
        var operandShape = new int[operandRank];
        var pattern = new List<object>();
        var storedShape = new List<int>();
        for (var j = 0; j < operandRank; j++)
        {
            var axis = rank - operandRank + j;
            var broadcastable = Current.type.broadcastable[axis];
            if (random.Next(3) == 0)
            {
                operandShape[j] = 1;
                pattern.Add('x');
                continue;
            }
            operandShape[j] = broadcastable ? random.Next(1, 4) : Shape[axis];
            pattern.Add(storedShape.Count);
            storedShape.Add(operandShape[j]);
        }
        var operand = NewInput([.. storedShape]);
        if (pattern.Any(p => p is char)) operand = operand.dimshuffle([.. pattern]);
        var op = random.Next(4);
        var next = op switch
        {
            0 => Current + operand,
            1 => operand - Current,
            2 => Current * operand,
            _ => maximum(Current, operand),
        };
        Set(next, NumpyBroadcast(Shape, operandShape), $"elemwise{op}({string.Join(",", pattern)})");
    }

    private void DimShuffle()
    {
        var rank = Shape.Length;
        var kept = Enumerable.Range(0, rank).Where(a => !Current.type.broadcastable[a] || random.Next(2) == 0).ToList();
        var order = kept.OrderBy(_ => random.Next()).Cast<object>().ToList();
        var inserts = random.Next(0, MaxRank - order.Count + 1);
        for (var i = 0; i < inserts; i++) order.Insert(random.Next(order.Count + 1), 'x');
        var shape = order.Select(p => p is int a ? Shape[a] : 1).ToArray();
        Set(Current.dimshuffle([.. order]), shape, $"dimshuffle({string.Join(",", order)})");
    }

    private void Reduce()
    {
        var rank = Shape.Length;
        int? axis = rank == 0 || random.Next(3) == 0 ? null : random.Next(-rank, rank);
        var keepdims = random.Next(2) == 0;
        var kind = random.Next(5);
        var next = kind switch
        {
            0 => Current.sum(axis, keepdims),
            1 => Current.mean(axis, keepdims),
            2 => Current.max(axis, keepdims),
            3 => Current.min(axis, keepdims),
            _ => Current.prod(axis, keepdims),
        };
        var normalized = axis is { } a && a < 0 ? a + rank : axis;
        var shape = keepdims
            ? Shape.Select((n, i) => normalized is null || normalized == i ? 1 : n).ToArray()
            : Shape.Where((_, i) => normalized is not null && normalized != i).ToArray();
        Set(next, shape, $"reduce{kind}(axis={axis?.ToString() ?? "None"}, keepdims={keepdims})");
    }

    private void Dot()
    {
        var k = random.Next(1, 4);
        var vectorOperand = random.Next(2) == 0;
        if (random.Next(2) == 0)
        {
            var inner = Shape[^1];
            var w = NewInput(vectorOperand ? [inner] : [inner, k]);
            Set(dot(Current, w), [.. Shape[..^1], .. vectorOperand ? Array.Empty<int>() : [k]], "dot(x, w)");
        }
        else
        {
            var inner = Shape[0];
            var w = NewInput(vectorOperand ? [inner] : [k, inner]);
            Set(dot(w, Current), [.. vectorOperand ? Array.Empty<int>() : [k], .. Shape[1..]], "dot(w, x)");
        }
    }

    private void Reshape()
    {
        var size = Shape.Aggregate(1, (a, b) => a * b);
        var rank = random.Next(1, 4);
        var target = new long[rank];
        var rest = size;
        for (var i = 0; i < rank - 1; i++)
        {
            var divisors = Enumerable.Range(1, rest).Where(d => rest % d == 0).ToArray();
            target[i] = divisors[random.Next(divisors.Length)];
            rest /= (int)target[i];
        }
        target[^1] = rest;
        var shape = target.Select(n => (int)n).ToArray();
        if (random.Next(2) == 0) target[random.Next(rank)] = -1;
        Set(Current.reshape(target), shape, $"reshape({string.Join(",", target)})");
    }

    private void Concatenate()
    {
        var axis = random.Next(Shape.Length);
        var otherShape = (int[])Shape.Clone();
        otherShape[axis] = random.Next(1, 4);
        var other = NewInput(otherShape);
        var first = random.Next(2) == 0;
        var next = concatenate(first ? [Current, other] : [other, Current], axis);
        var shape = (int[])Shape.Clone();
        shape[axis] += otherShape[axis];
        Set(next, shape, $"concatenate(axis={axis})");
    }

    private void Stack()
    {
        var axis = random.Next(-Shape.Length - 1, Shape.Length + 1);
        var other = NewInput(Shape);
        var at = axis < 0 ? axis + Shape.Length + 1 : axis;
        Set(stack([Current, other], axis), [.. Shape[..at], 2, .. Shape[at..]], $"stack(axis={axis})");
    }

    private void Flatten()
    {
        var ndim = random.Next(1, Shape.Length + 1);
        var tail = Shape[(ndim - 1)..].Aggregate(1, (a, b) => a * b);
        Set(Current.flatten(ndim), [.. Shape[..(ndim - 1)], tail], $"flatten({ndim})");
    }

    private void Index()
    {
        var n = Shape[0];
        switch (random.Next(4))
        {
            case 0:
                var i = random.Next(-n, n);
                Set(Current[random.Next(2) == 0 ? i : NewIndex(i)], Shape[1..], $"[{i}]");
                break;
            case 1:
                var start = random.Next(0, n);
                var stop = random.Next(start + 1, n + 1);
                var sliced = Current[slice(NewIndex(start), NewIndex(stop))];
                Set(sliced, [stop - start, .. Shape[1..]], $"[{start}:{stop}]");
                break;
            case 2 when Shape.Length >= 2:
                var m = Shape[1];
                var from = random.Next(-m, 0);
                Set(Current[slice(null, null), slice(from, null)], [n, -from, .. Shape[2..]], $"[:, {from}:]");
                break;
            default:
                var picks = Enumerable.Range(0, random.Next(1, 4)).Select(_ => (long)random.Next(n)).ToArray();
                Set(Current[constant(picks)], [picks.Length, .. Shape[1..]], $"[[{string.Join(",", picks)}]]");
                break;
        }
    }
}
