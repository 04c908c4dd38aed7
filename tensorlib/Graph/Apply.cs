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

    /// <summary>
    /// This node's op on new inputs that hold the same values (a rewrite's), with this node's output types. New inputs
    /// (a constant where a shape was) can let <see cref="Op.MakeNode"/> infer a more specific type, a broadcastable
    /// axis where there was none, which consumers built for the old type would refuse; the old type still holds.
    /// </summary>
    public Apply WithInputs(IReadOnlyList<Variable> newInputs)
    {
        var rebuilt = op.MakeNode([.. newInputs]);
        var same = true;
        for (var i = 0; i < outputs.Count; i++)
        {
            var (before, after) = (outputs[i].type, rebuilt.outputs[i].type);
            if (before.dtype != after.dtype || before.ndim != after.ndim)
                throw new InvalidOperationException($"{op} on new inputs: output {i} became {after}, was {before}.");
            same &= before == after;
        }
        return same ? rebuilt : new Apply(op, newInputs, outputs.Select(o => o.type));
    }

    public override string ToString() => $"{op}({string.Join(", ", inputs)})";
}
