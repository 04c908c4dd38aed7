using Theon.Ops;

namespace Theon.Compile;

/// <summary>
/// An update of shared variable W whose expression, as the backend runs it, is <c>inc_subtensor</c> or
/// <c>set_subtensor</c> of W itself (<c>(E, inc_subtensor(E[idx], -lr * g))</c>): the function computes only the
/// <see cref="Operands"/> (y and the indices), checks them against W with the other updates, and then writes them into
/// W's buffer, so a call costs what the rows it touches cost, not a copy of W.
/// </summary>
internal sealed record InPlaceUpdate(int Update, SharedVariable Variable, Apply Node)
{
    public IInPlaceIncrement Op => (IInPlaceIncrement)Node.op;

    /// <summary>y, then the indices: what the function computes for this update.</summary>
    public IReadOnlyList<Variable> Operands { get; } = [.. Node.inputs.Skip(1)];

    /// <summary>The updates among <paramref name="expressions"/> (in update order) that run in place on
    /// <paramref name="backend"/>.</summary>
    public static InPlaceUpdate[] Find(IReadOnlyList<(SharedVariable Variable, Variable Expression)> updates,
        IReadOnlyList<Variable> expressions, Backend backend) => !T.config.inplace_updates ? [] :
    [
        .. updates.Select((u, i) => expressions[i].owner is { op: IInPlaceIncrement } node
            && ReferenceEquals(node.inputs[0], u.Variable) && node.outputs[0].type.dtype == u.Variable.type.dtype
            && backend.UpdatesInPlace(node) ? new InPlaceUpdate(i, u.Variable, node) : null).OfType<InPlaceUpdate>(),
    ];
}

/// <summary>
/// The host side of an <see cref="InPlaceUpdate"/> (the CPU and reference backends): the operands of a call, checked
/// against the variable's value, then written into a buffer the function owns (taken on the first install, as
/// <see cref="UpdateTarget"/> does), which stays the variable's value from call to call.
/// </summary>
internal sealed class InPlaceTarget(InPlaceUpdate update, int firstOperand)
{
    private readonly NDArray[] operands = new NDArray[update.Operands.Count];
    private NDArray? owned;

    public SharedVariable Variable => update.Variable;

    /// <summary>The buffer <see cref="Install"/> will write into, when it holds the variable's value.</summary>
    public Array? WrittenBuffer => owned is not null && ReferenceEquals(Variable.HostValueIfCurrent, owned)
        ? owned.Buffer : null;

    /// <summary>Takes this update's operands from a call's results and checks them against the variable's
    /// value.</summary>
    public void Check(NDArray[] results)
    {
        for (var k = 0; k < operands.Length; k++) operands[k] = results[firstOperand + k];
        update.Op.Check(update.Node, Variable.Value, operands);
    }

    /// <summary>Copies the operands that read a buffer an install writes (y a view of W, or of another updated
    /// variable), so every update sees the old values.</summary>
    public void CopyOperandsReading(UpdateTarget[] targets, InPlaceTarget[] inPlace)
    {
        for (var k = 0; k < operands.Length; k++)
        {
            var buffer = operands[k].Buffer;
            if (UpdateTarget.Writes(targets, buffer) || Writes(inPlace, buffer)) operands[k] = operands[k].Copy();
        }
    }

    /// <summary>True when one of <paramref name="targets"/> writes into <paramref name="buffer"/>.</summary>
    public static bool Writes(InPlaceTarget[] targets, Array buffer)
    {
        foreach (var target in targets)
        {
            if (ReferenceEquals(target.WrittenBuffer, buffer)) return true;
        }
        return false;
    }

    public void Install()
    {
        if (WrittenBuffer is not null)
        {
            update.Op.Write(owned!, operands);
            Variable.HostChangedInPlace();
        }
        else
        {
            // The first install (or one after the value was replaced): the variable's array may be the caller's
            // (shared(..., borrow: true)) or a view, so the function takes a contiguous copy of its own.
            var copy = Variable.Value.Copy();
            update.Op.Write(copy, operands);
            Variable.Assign(owned = copy);
        }
        Array.Clear(operands);
    }

    public void Discard() => Array.Clear(operands);
}
