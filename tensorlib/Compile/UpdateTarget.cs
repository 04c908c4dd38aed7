namespace Theon.Compile;

/// <summary>
/// A shared variable a function updates. The function gives the variable a buffer of its own on the first call
/// and afterwards copies each new value into that buffer, so a steady-state call allocates nothing and a value
/// held through <c>get_value(borrow: true)</c> sees the update, as in Theano.
/// </summary>
internal sealed class UpdateTarget(SharedVariable variable, int result)
{
    private readonly int result = result;
    private readonly SharedVariable variable = variable;
    private NDArray? owned;

    /// <summary>
    /// Checks every update first (the in-place ones were checked by the caller), then installs them all; a failed
    /// check changes no variable. A value or operand that reads a buffer some install writes is copied first, so
    /// every update sees the old values.
    /// </summary>
    public static void ApplyAll(UpdateTarget[] targets, InPlaceTarget[] inPlace, NDArray[] results)
    {
        foreach (var target in targets) target.Check(results[target.result]);
        foreach (var target in targets)
        {
            var value = results[target.result];
            if (target.ReadsAnotherTarget(value, targets) || InPlaceTarget.Writes(inPlace, value.Buffer))
                results[target.result] = value.Copy();
        }
        foreach (var target in inPlace) target.CopyOperandsReading(targets, inPlace);
        foreach (var target in inPlace) target.Install();
        foreach (var target in targets) target.Install(results[target.result]);
    }

    /// <summary>True when an install writes into <paramref name="buffer"/>.</summary>
    public static bool Writes(UpdateTarget[] targets, Array buffer)
    {
        foreach (var target in targets)
        {
            if (ReferenceEquals(target.owned?.Buffer, buffer)) return true;
        }
        return false;
    }

    /// <summary>True when installing the updates in place would change <paramref name="value"/>.</summary>
    public static bool Overwrites(UpdateTarget[] targets, InPlaceTarget[] inPlace, NDArray value)
    {
        foreach (var target in targets)
        {
            if (ReferenceEquals(value.Buffer, target.variable.HostValueIfCurrent?.Buffer)) return true;
        }
        foreach (var target in inPlace)
        {
            if (ReferenceEquals(value.Buffer, target.Variable.HostValueIfCurrent?.Buffer)) return true;
        }
        return false;
    }

    private void Check(NDArray value) => Check(variable, value.Dims);

    /// <summary>Refuses an update whose shape differs from the variable's, before any variable is changed.</summary>
    public static void Check(SharedVariable variable, ReadOnlySpan<int> shape)
    {
        var current = variable.HostValueIfCurrent?.Dims ?? variable.Replica!.Shape;
        if (!shape.SequenceEqual(current))
            throw new ArgumentException(
                $"the update of shared variable {variable} computed a value of shape " +
                $"{NDArray.ShapeString(shape.ToArray())}, but the variable has shape " +
                $"{NDArray.ShapeString(current)}; no shared variable was changed.");
    }

    /// <summary>True when the value is a view of a buffer that another install may overwrite first.</summary>
    private bool ReadsAnotherTarget(NDArray value, UpdateTarget[] targets)
    {
        foreach (var other in targets)
        {
            if (other.owned is { } buffer && ReferenceEquals(value.Buffer, buffer.Buffer) && !(other == this
                && ReferenceEquals(value, buffer)))
                return true;
        }
        return false;
    }

    private void Install(NDArray value)
    {
        if (value.DType != variable.type.dtype) value = value.astype(variable.type.dtype);
        if (owned is not null && ReferenceEquals(variable.HostValueIfCurrent, owned))
        {
            if (!ReferenceEquals(value, owned)) owned.CopyFrom(value);
            variable.HostChangedInPlace();
            return;
        }
        owned = value.Copy();
        variable.Assign(owned);
    }
}
