using Theon.Values;

namespace Theon.Ops.Random;

/// <summary>
/// A draw from a distribution, Theano's <c>RandomFunction</c>: inputs (state, size, parameters...), outputs (the
/// state after the draw, the sample). The state is an int64 vector of two elements (<see cref="StreamState"/>); a
/// <see cref="RandomStreams"/> keeps it in a shared variable whose default update is output 0, so each call of a
/// compiled function draws new numbers. Output 1 has shape <c>size</c> (an int64 vector of <see cref="NDim"/>
/// elements; <see cref="Permutation"/> appends an axis) and dtype <see cref="DType"/>. The draw is a pure function of
/// the state, so the ops are never constant-folded and two nodes with the same inputs give the same numbers.
/// </summary>
public abstract record RandomOp(DType DType, int NDim) : Op
{
    /// <summary>The distribution's name, as Theano's <c>RandomFunction{uniform}</c> shows it.</summary>
    public abstract string Distribution { get; }

    /// <summary>The names of the parameters, inputs 2, 3, ..., for error messages.</summary>
    protected abstract IReadOnlyList<string> ParameterNames { get; }

    public override string Name => $"RandomFunction{{{Distribution}}}";

    public override bool CanConstantFold => false;

    /// <summary>True for distributions of real numbers (uniform, normal), whose dtype must be a float.</summary>
    protected virtual bool FloatOnly => false;

    public override Apply MakeNode(params Variable[] inputs)
    {
        if (FloatOnly && !DType.IsFloat)
            throw new ArgumentException($"{Distribution}: dtype must be float32 or float64, got {DType}.");
        if (inputs.Length != 2 + ParameterNames.Count)
            throw new ArgumentException(
                $"{Distribution}: expected {2 + ParameterNames.Count} inputs (state, size, {string.Join(", ", ParameterNames)}), got {inputs.Length}.");
        var (state, size) = (inputs[0], inputs[1]);
        if (!state.type.Equals(StreamState.Type))
            throw new ArgumentException(
                $"{Distribution}: the state {InputNames.Describe(state)} must be {StreamState.Type}, got {state.type}.");
        if (size.type.dtype != DType.Int64 || size.ndim != 1)
            throw new ArgumentException(
                $"{Distribution}: size must be an int64 vector, got {InputNames.Describe(size)} of type {size.type}.");
        if (SizeLength(size) is { } length && length != NDim)
            throw new ArgumentException(
                $"{Distribution}: size {InputNames.Describe(size)} has {length} elements, expected {NDim} (ndim).");
        for (var i = 2; i < inputs.Length; i++)
        {
            var p = inputs[i];
            if (!Broadcasts(i - 2)) continue;
            if (p.type.dtype.IsBool)
                throw new ArgumentException(
                    $"{Distribution}: {ParameterNames[i - 2]} must be numeric, got {InputNames.Describe(p)} of type {p.type}.");
            if (p.ndim > NDim)
                throw new ArgumentException(
                    $"{Distribution}: {ParameterNames[i - 2]} {InputNames.Describe(p)} has {p.ndim} dimensions, more than the sample's {NDim}.");
        }
        return new Apply(this, inputs,
            [StreamState.Type, new TensorType(DType, [.. SizeBroadcastable(size, NDim), .. ExtraAxes(inputs)])]);
    }

    /// <summary>Whether parameter <paramref name="parameter"/> is broadcast to the sample's shape (a distribution's
    /// parameters are; <c>choice</c>'s population and <c>permutation</c>'s length are not).</summary>
    protected virtual bool Broadcasts(int parameter) => true;

    /// <summary>The broadcastable pattern of axes after the size's (the permutation's), from the inputs.</summary>
    protected virtual IEnumerable<bool> ExtraAxes(IReadOnlyList<Variable> inputs) => [];

    public override NDArray[] Perform(Apply node, NDArray[] inputs)
    {
        var state = StreamState.Read(inputs[0], $"{Distribution}: state {InputNames.Describe(node.inputs[0])}");
        var shape = Shape(node, inputs[1]);
        var parameters = new Parameter[inputs.Length - 2];
        for (var i = 0; i < parameters.Length; i++)
            parameters[i] = Broadcasts(i)
                ? Parameter.Of(inputs[i + 2], ParameterNames[i], node.inputs[i + 2], shape, Distribution)
                : Parameter.Flat(inputs[i + 2]);
        var (sample, words) = Draw(node, state, shape, parameters);
        return [state.Advance(words).ToArray(), sample];
    }

    /// <summary>The size as an output shape, checked.</summary>
    internal int[] Shape(Apply node, NDArray size)
    {
        var values = size.ToFlatArray<long>();
        if (values.Length != NDim || values.Any(n => n < 0 || n > int.MaxValue))
            throw new ArgumentException(
                $"{Distribution}: size {InputNames.Describe(node.inputs[1])} is [{string.Join(", ", values)}]; expected {NDim} non-negative lengths.");
        return [.. values.Select(n => (int)n)];
    }

    /// <summary>The sample of shape <paramref name="shape"/> and the number of 32-bit words it used.</summary>
    internal abstract (NDArray Sample, long Words) Draw(Apply node, StreamState state, int[] shape, Parameter[] parameters);

    public override IReadOnlyList<Variable>[] InferShape(Apply node, IReadOnlyList<Variable>[] inputShapes) =>
        [[SymbolicShapes.Int64(2)], [.. Enumerable.Range(0, NDim).Select(i => T.Index(node.inputs[1], [i])), .. ExtraShape(node)]];

    protected virtual IEnumerable<Variable> ExtraShape(Apply node) => [];

    /// <summary>A gradient at the sample's shape summed to a parameter's (over the axes it was broadcast along).</summary>
    protected static Variable ParameterGradient(Variable g, Variable parameter)
    {
        var leading = Enumerable.Range(0, g.ndim - parameter.ndim).ToArray();
        return Elemwise.SumOverBroadcastAxes(leading.Length > 0 ? T.sum(g, axis: leading) : g, parameter);
    }

    /// <summary>No gradient reaches the state or the size; a distribution overrides this for its parameters.</summary>
    public override Variable?[] Grad(Apply node, IReadOnlyList<Variable?> outputGradients) =>
        new Variable?[node.inputs.Count];

    public override bool IsConnected(Apply node, int input) => false;

    /// <summary>The number of elements of a size vector when the graph fixes it (a constant, <c>x.shape</c>, a
    /// vector made of scalars); null otherwise.</summary>
    public static int? SizeLength(Variable size) => size switch
    {
        Constant c => c.data.ndim == 1 ? c.data.size : null,
        { owner: { op: Ops.Shape } node } => node.inputs[0].ndim,
        { owner: { op: MakeVector } node } => node.inputs.Count,
        _ => null,
    };

    /// <summary>Theano's <c>_infer_ndim_bcast</c>: an axis broadcasts where its length is known to be 1.</summary>
    internal static IEnumerable<bool> SizeBroadcastable(Variable size, int ndim) => size switch
    {
        Constant c => c.data.ToFlatArray<long>().Select(n => n == 1),
        { owner: { op: Ops.Shape } node } => node.inputs[0].type.broadcastable,
        { owner: { op: MakeVector } node } => node.inputs.Select(v => v is Constant { ScalarValue: 1 }),
        _ => new bool[ndim],
    };
}

/// <summary>A distribution parameter, read per element of the sample after broadcasting to its shape.</summary>
internal sealed class Parameter
{
    private readonly double scalar;
    private readonly double[]? values;

    private Parameter(double scalar, double[]? values) => (this.scalar, this.values) = (scalar, values);

    public bool IsScalar => values is null;

    public double this[long i] => values is null ? scalar : values[i];

    /// <summary>The single value of a parameter that is the same for every element.</summary>
    public double Scalar => values is null ? scalar : throw new InvalidOperationException("not a scalar parameter");

    public IEnumerable<double> All => values ?? [scalar];

    public long Count => values?.Length ?? 1;

    public static Parameter Flat(NDArray value) =>
        value.ndim == 0 ? new(value.ToFlatArray<double>()[0], null) : new(0, value.ToFlatArray<double>());

    public static Parameter Of(NDArray value, string name, Variable variable, int[] shape, string distribution)
    {
        if (value.size == 1) return new(value.ToFlatArray<double>()[0], null);
        if (!Shapes.CanBroadcastTo(value.Dims, shape))
            throw new ArgumentException(
                $"{distribution}: {name} {InputNames.Describe(variable)} of shape {NDArray.ShapeString(value.shape)} does not broadcast to the sample's shape {NDArray.ShapeString(shape)}.");
        return new(0, value.BroadcastTo(shape).ToFlatArray<double>());
    }
}
