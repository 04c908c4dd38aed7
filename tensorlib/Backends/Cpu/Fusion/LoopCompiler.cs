using Theon.Ops;
using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace Theon.Backends.Cpu.Fusion;

/// <summary>
/// One row of a fused loop: <c>output[offsets[0] + j] = body(inputs[k][offsets[k+1] + j * strides[k+1]])</c> for
/// j below <paramref name="count"/>. Returns true when an input the loop was generated to check held a NaN.
/// </summary>
internal delegate bool FusedLoop<T>(T[][] inputs, int[] offsets, int[] strides, T[] output, int count);

/// <summary>How an input is read along the inner axis of a row.</summary>
internal enum InputMode : byte
{
    Broadcast,    // stride 0: loaded once per row
    Contiguous,   // stride 1: loaded a vector at a time
    Strided,      // any other stride: scalar loads only
}

/// <summary>
/// Generates fused loops as expression trees compiled to delegates, cached by (body, element type, input modes,
/// inputs checked for NaN): a <see cref="VectorApi.Width"/>-wide loop over Vector512 or Vector256 while every op has a
/// vector form and no input is strided, then a scalar tail that calls the reference operators. Checking an input for
/// NaN while it is loaded anyway spares <c>function</c> a second pass over a large argument.
/// </summary>
internal static class LoopCompiler
{
    private static readonly ConcurrentDictionary<(ScalarExpr Body, Type Element, string Modes), Delegate> Cache = new();

    public static int CachedLoops => Cache.Count;

    public static FusedLoop<T> Get<T>(ScalarExpr body, InputMode[] modes, bool[] checkNaN) =>
        (FusedLoop<T>)Cache.GetOrAdd((body, typeof(T), string.Concat(modes.Select((m, k) =>
            (char)((checkNaN[k] ? 'A' : 'a') + (int)m)))), _ => Build<T>(body, modes, checkNaN));

    private static FusedLoop<T> Build<T>(ScalarExpr body, InputMode[] modes, bool[] checkNaN)
    {
        var t = typeof(T);
        var inputs = Expression.Parameter(typeof(T[][]), "inputs");
        var offsets = Expression.Parameter(typeof(int[]), "offsets");
        var strides = Expression.Parameter(typeof(int[]), "strides");
        var output = Expression.Parameter(t.MakeArrayType(), "output");
        var count = Expression.Parameter(typeof(int), "count");
        var j = Expression.Variable(typeof(int), "j");
        var outOffset = Expression.Variable(typeof(int), "outOffset");
        var arrays = modes.Select((_, k) => Expression.Variable(t.MakeArrayType(), $"a{k}")).ToArray();
        var starts = modes.Select((_, k) => Expression.Variable(typeof(int), $"o{k}")).ToArray();
        var steps = modes.Select((_, k) => Expression.Variable(typeof(int), $"s{k}")).ToArray();
        var scalars = modes.Select((_, k) => Expression.Variable(t, $"x{k}")).ToArray();
        var nan = Expression.Variable(typeof(bool), "nan");
        var locals = new List<ParameterExpression> { j, outOffset, nan };
        locals.AddRange(arrays);
        locals.AddRange(starts);
        locals.AddRange(steps);
        locals.AddRange(scalars);
        var code = new List<Expression>
        {
            Expression.Assign(j, Expression.Constant(0)),
            Expression.Assign(outOffset, Expression.ArrayIndex(offsets, Expression.Constant(0))),
        };
        for (var k = 0; k < modes.Length; k++)
        {
            code.Add(Expression.Assign(arrays[k], Expression.ArrayIndex(inputs, Expression.Constant(k))));
            code.Add(Expression.Assign(starts[k], Expression.ArrayIndex(offsets, Expression.Constant(k + 1))));
            code.Add(Expression.Assign(steps[k], Expression.ArrayIndex(strides, Expression.Constant(k + 1))));
            if (modes[k] != InputMode.Broadcast) continue;
            code.Add(Expression.Assign(scalars[k], Expression.ArrayIndex(arrays[k], starts[k])));
            if (checkNaN[k]) code.Add(Expression.OrAssign(nan, Expression.NotEqual(scalars[k], scalars[k])));
        }
        if (VectorApi.IsAccelerated && t != typeof(long) && LoopCode.Vectorizes(body)
            && !modes.Contains(InputMode.Strided))
            code.Add(VectorLoop(body, modes, checkNaN, VectorApi.For(t), arrays, starts, scalars, output, outOffset, j,
                count, nan, locals));
        code.Add(ScalarLoop(body, modes, checkNaN, t, arrays, starts, steps, scalars, output, outOffset, j, count,
            nan));
        code.Add(nan);
        var lambda = Expression.Lambda<FusedLoop<T>>(Expression.Block(locals, code), inputs, offsets, strides, output,
            count);
        return lambda.Compile();
    }

    private static Expression VectorLoop(ScalarExpr body, InputMode[] modes, bool[] checkNaN, VectorApi v,
        ParameterExpression[] arrays, ParameterExpression[] starts, ParameterExpression[] scalars,
        ParameterExpression output, ParameterExpression outOffset, ParameterExpression j, ParameterExpression count,
        ParameterExpression nan, List<ParameterExpression> locals)
    {
        var vectors = modes.Select((_, k) => Expression.Variable(v.Type, $"v{k}")).ToArray();
        var broadcasts = modes.Select((_, k) => Expression.Variable(v.Type, $"b{k}")).ToArray();
        // Lanes that were not equal to themselves (NaN) in a checked input, OR-ed over the whole loop.
        var notSelf = Expression.Variable(v.Type, "notSelf");
        locals.AddRange(vectors);
        locals.AddRange(broadcasts);
        locals.Add(notSelf);
        var setup = new List<Expression> { Expression.Assign(notSelf, v.Zero) };
        var step = new List<Expression>();
        for (var k = 0; k < modes.Length; k++)
        {
            if (modes[k] == InputMode.Broadcast)
            {
                setup.Add(Expression.Assign(broadcasts[k], v.Broadcast(scalars[k])));
                continue;
            }
            step.Add(Expression.Assign(vectors[k], v.Load(arrays[k], Expression.Add(starts[k], j))));
            if (checkNaN[k]) step.Add(Expression.Assign(notSelf, Expression.Or(notSelf,
                Expression.OnesComplement(v.Call("Equals", vectors[k], vectors[k])))));
        }
        Expression Leaf(int k) => modes[k] == InputMode.Broadcast ? broadcasts[k] : vectors[k];
        var result = Emit(body, Leaf, e => v.Broadcast(e), (op, args) => LoopCode.Vector(op, args, v), v.Element);
        step.Add(v.Store(result, output, Expression.Add(outOffset, j)));
        step.Add(Expression.AddAssign(j, Expression.Constant(v.Width)));
        var end = Expression.Label("vectorEnd");
        var loop = Expression.Loop(
            Expression.IfThenElse(Expression.LessThanOrEqual(j, Expression.Subtract(count,
                Expression.Constant(v.Width))),
                Expression.Block(step), Expression.Break(end)), end);
        setup.Add(loop);
        if (checkNaN.Contains(true)) setup.Add(Expression.OrAssign(nan, Expression.NotEqual(notSelf, v.Zero)));
        return Expression.Block(setup);
    }

    private static Expression ScalarLoop(ScalarExpr body, InputMode[] modes, bool[] checkNaN, Type t,
        ParameterExpression[] arrays, ParameterExpression[] starts, ParameterExpression[] steps,
        ParameterExpression[] scalars, ParameterExpression output, ParameterExpression outOffset, ParameterExpression j,
        ParameterExpression count, ParameterExpression nan)
    {
        var step = new List<Expression>();
        for (var k = 0; k < modes.Length; k++)
        {
            Expression index = modes[k] switch
            {
                InputMode.Contiguous => Expression.Add(starts[k], j),
                InputMode.Strided => Expression.Add(starts[k], Expression.Multiply(j, steps[k])),
                _ => null!,
            };
            if (modes[k] == InputMode.Broadcast) continue;
            step.Add(Expression.Assign(scalars[k], Expression.ArrayIndex(arrays[k], index)));
            if (checkNaN[k]) step.Add(Expression.OrAssign(nan, Expression.NotEqual(scalars[k], scalars[k])));
        }
        var result = Emit(body, k => scalars[k], e => e, (op, args) => LoopCode.Scalar(op, args, t), t);
        step.Add(Expression.Assign(Expression.ArrayAccess(output, Expression.Add(outOffset, j)), result));
        step.Add(Expression.PostIncrementAssign(j));
        var end = Expression.Label("scalarEnd");
        return Expression.Loop(
            Expression.IfThenElse(Expression.LessThan(j, count), Expression.Block(step), Expression.Break(end)), end);
    }

    private static Expression Emit(ScalarExpr e, Func<int, Expression> leaf, Func<Expression, Expression> literal,
        Func<Ops.ScalarOp, Expression[], Expression> call, Type t) => e switch
    {
        ScalarExpr.Input i => leaf(i.Index),
        ScalarExpr.Literal l => literal(Expression.Constant(Convert.ChangeType(l.Value, t), t)),
        ScalarExpr.Call c => call(c.Op, [.. c.Args.Select(a => Emit(a, leaf, literal, call, t))]),
        _ => throw new InvalidOperationException($"unknown scalar expression {e}"),
    };
}
