namespace Theon;

/// <summary>One application of an <see cref="Op"/> to input variables, producing output variables.</summary>
public sealed class Apply
{
    public Apply(Op op, IEnumerable<Variable> inputs, IEnumerable<TensorType> outputTypes)
    {
        this.op = op;
        this.inputs = [.. inputs];
        for (var i = 0; i < this.inputs.Count; i++)
        {
            if (this.inputs[i] is null) throw new ArgumentNullException($"input {i} of {op}");
        }
        outputs = [.. outputTypes.Select((type, index) => new Variable(type, this, index))];
        TestValues.Compute(this);
    }

    public Op op { get; }

    public IReadOnlyList<Variable> inputs { get; }

    public IReadOnlyList<Variable> outputs { get; }

    public Variable output => outputs.Count == 1
        ? outputs[0]
        : throw new InvalidOperationException($"{op} has {outputs.Count} outputs; pick one from outputs.");

    public override string ToString() => $"{op}({string.Join(", ", inputs)})";
}
